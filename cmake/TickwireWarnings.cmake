# Compiler strictness shared by every Tickwire target: call tickwire_target_defaults(TARGET).
function(tickwire_target_defaults target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4 /permissive-)
    else()
        # -Wshadow=local is GCC's; clang (the fuzz and portable presets) has no such level.
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                                                 $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
                                                 -Wnon-virtual-dtor -Wcast-align)
    endif()
    target_compile_definitions(${target} PRIVATE
        QT_NO_CAST_FROM_ASCII
        QT_NO_CAST_TO_ASCII
        QT_NO_CAST_FROM_BYTEARRAY
        QT_NO_URL_CAST_FROM_STRING
        QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
        QT_USE_QSTRINGBUILDER
        QT_NO_FOREACH
        QT_NO_KEYWORDS
        QT_STRICT_ITERATORS
        QT_DISABLE_DEPRECATED_BEFORE=0x060400)
endfunction()

# Test helper: one Qt Test executable per class, registered with CTest.
#   tickwire_add_test(NAME tst_decimal SOURCES tst_decimal.cpp LIBRARIES tickwire_protocol
#                     [LABELS unit] [TIMEOUT 60] [ENVIRONMENT K=V ...])
function(tickwire_add_test)
    cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SOURCES;LIBRARIES;LABELS;ENVIRONMENT" ${ARGN})
    qt_add_executable(${ARG_NAME} ${ARG_SOURCES})
    tickwire_target_defaults(${ARG_NAME})
    target_link_libraries(${ARG_NAME} PRIVATE Qt6::Test ${ARG_LIBRARIES})
    target_compile_definitions(${ARG_NAME} PRIVATE
        TICKWIRE_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
        TICKWIRE_BINARY_DIR="${PROJECT_BINARY_DIR}")
    set_target_properties(${ARG_NAME} PROPERTIES MACOSX_BUNDLE OFF WIN32_EXECUTABLE OFF)
    add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    if(NOT ARG_LABELS)
        set(ARG_LABELS unit)
    endif()
    set_tests_properties(${ARG_NAME} PROPERTIES
        TIMEOUT ${ARG_TIMEOUT}
        LABELS "${ARG_LABELS}"
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;${ARG_ENVIRONMENT}")
endfunction()
