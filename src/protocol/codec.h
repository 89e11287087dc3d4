#pragma once

#include "protocol/messages.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>

#include <optional>

namespace tickwire::protocol {

// The two wire forms of tickwire/1: JSON in text frames, the same maps as CBOR in binary frames.
enum class Encoding { Json, Cbor };

[[nodiscard]] QLatin1StringView subprotocolName(Encoding encoding);
[[nodiscard]] std::optional<Encoding> encodingFromSubprotocol(QStringView name);

struct DecodeLimits
{
    qsizetype maxBytes = 1024 * 1024; // larger input is refused before parsing
    qsizetype maxItems = 100'000; // per array (symbols, levels, orders, ...)
};

struct DecodeError
{
    QString code; // one of ErrorCode: bad_request, unknown_type, unknown_channel, too_large
    QString message;
    std::optional<std::int64_t> id; // the request id, when it could be read
};

struct DecodeResult
{
    std::optional<Message> message;
    DecodeError error; // meaningful only when !ok()

    [[nodiscard]] bool ok() const { return message.has_value(); }
};

// Encodes one message as one frame payload (UTF-8 JSON text or CBOR bytes).
[[nodiscard]] QByteArray encode(const Message &message, Encoding encoding);

// Decodes one frame payload. Never throws and never crashes on hostile input: every
// malformed, mistyped, incomplete or oversize payload yields an error with a readable message.
[[nodiscard]] DecodeResult decode(QByteArrayView payload, Encoding encoding,
                                  const DecodeLimits &limits = {});

} // namespace tickwire::protocol
