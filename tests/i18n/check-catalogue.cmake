cmake_minimum_required(VERSION 3.21)

# Runs lupdate, with the options of the update_translations target, on a copy of the checked-in
# catalogue and fails
#  - when the copy changes (other than in its <location> lines): a text was added, changed or
#    removed in the sources without `ninja update_translations`;
#  - when a text of REQUIRED is missing from its context: it is no longer wrapped in
#    tr()/qsTr()/translate (each line of REQUIRED: context, a tab, the source as the .ts
#    escapes it; # starts a comment).
foreach(var LUPDATE SOURCES_LIST CATALOGUE REQUIRED SCRATCH_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check-catalogue.cmake needs -D${var}=...")
    endif()
endforeach()

file(REMOVE_RECURSE "${SCRATCH_DIR}")
file(MAKE_DIRECTORY "${SCRATCH_DIR}")
get_filename_component(name "${CATALOGUE}" NAME)
set(updated "${SCRATCH_DIR}/${name}")
file(COPY_FILE "${CATALOGUE}" "${updated}")
execute_process(
    COMMAND "${LUPDATE}" -silent ${LUPDATE_OPTIONS} "@${SOURCES_LIST}" -ts "${updated}"
    RESULT_VARIABLE result
    ERROR_VARIABLE errors)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${result}):\n${errors}")
endif()

# The lines of a file as a CMake list; the texts' semicolons (&quot;) are kept as <semicolon>.
function(read_lines file out_var)
    file(READ "${file}" text)
    string(REPLACE ";" "<semicolon>" text "${text}")
    string(REPLACE "\n" ";" lines "${text}")
    set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()

# The catalogue without the <location> lines (they name files relative to the .ts file).
function(read_without_locations file out_var)
    read_lines("${file}" lines)
    list(FILTER lines EXCLUDE REGEX "^[ \t]*<location ")
    list(JOIN lines "\n" text)
    string(REPLACE "<semicolon>" ";" text "${text}")
    set(${out_var} "${text}" PARENT_SCOPE)
endfunction()
read_without_locations("${CATALOGUE}" before)
read_without_locations("${updated}" after)
if(NOT before STREQUAL after)
    find_program(DIFF diff)
    if(DIFF)
        file(WRITE "${SCRATCH_DIR}/checked-in.txt" "${before}\n")
        file(WRITE "${SCRATCH_DIR}/from-sources.txt" "${after}\n")
        execute_process(COMMAND "${DIFF}" -u checked-in.txt from-sources.txt
                        WORKING_DIRECTORY "${SCRATCH_DIR}")
    endif()
    message(FATAL_ERROR
        "${CATALOGUE} is not up to date with the sources: run `ninja update_translations` in "
        "the build folder and commit the result.")
endif()

file(READ "${updated}" catalogue)
read_lines("${REQUIRED}" required)
set(missing "")
set(checked 0)
foreach(line IN LISTS required)
    if(line MATCHES "^[ \t]*(#|$)")
        continue()
    endif()
    if(NOT line MATCHES "^([^\t]+)\t(.+)$")
        message(FATAL_ERROR "${REQUIRED}: not 'context<TAB>source': ${line}")
    endif()
    set(context "${CMAKE_MATCH_1}")
    string(REPLACE "<semicolon>" ";" source "${CMAKE_MATCH_2}")
    math(EXPR checked "${checked} + 1")
    string(FIND "${catalogue}" "<name>${context}</name>" start)
    if(start EQUAL -1)
        list(APPEND missing "${context}: (no such context) ${source}")
        continue()
    endif()
    string(SUBSTRING "${catalogue}" ${start} -1 rest)
    string(FIND "${rest}" "</context>" end)
    string(SUBSTRING "${rest}" 0 ${end} block)
    string(FIND "${block}" "<source>${source}</source>" found)
    if(found EQUAL -1)
        list(APPEND missing "${context}: ${source}")
    endif()
endforeach()
if(missing)
    list(JOIN missing "\n  " text)
    message(FATAL_ERROR "texts that are no longer translatable (not in lupdate's output):\n  ${text}")
endif()
message(STATUS "${name} is up to date; ${checked} required texts are translatable")
