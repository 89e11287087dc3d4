#pragma once

#include "protocol/codec.h"

namespace tickwire::protocol::reference {

// The DOM-based decoder of earlier releases (test code only): same contract as decode().
[[nodiscard]] DecodeResult referenceDecode(QByteArrayView payload, Encoding encoding,
                                           const DecodeLimits &limits = {});

} // namespace tickwire::protocol::reference

namespace tickwire::protocol::reference {

// Empty when decode() and referenceDecode() agree on `payload`: both accept it with the same
// message (the same written form of every decimal), or both refuse it with the same code, the
// same request id and the same message (a syntax error may be worded differently, as long as
// both say "malformed JSON"/"malformed CBOR"). Otherwise a description of the difference.
[[nodiscard]] QString differenceFromReference(QByteArrayView payload, Encoding encoding,
                                              const DecodeLimits &limits = {});

} // namespace tickwire::protocol::reference
