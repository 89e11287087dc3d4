# Generates the synthetic Kraken replay scripts; checksums with zlib.crc32 (independent of the
# C++ implementation) over Kraken's documented rule.
import json, zlib, sys

def field(t):
    return t.replace('.', '').lstrip('0')

def crc(bids, asks):
    s = ''.join(field(p) + field(q) for p, q in asks[:10]) + ''.join(field(p) + field(q) for p, q in bids[:10])
    return zlib.crc32(s.encode()) & 0xffffffff

def lv(levels):
    return '[' + ','.join('{"price":%s,"qty":%s}' % (p, q) for p, q in levels) + ']'

def book(kind, sym, bids, asks, checksum, ts='2023-11-14T22:13:20.000000Z'):
    return '{"channel":"book","type":"%s","data":[{"symbol":"%s","bids":%s,"asks":%s,"checksum":%d,"timestamp":"%s"}]}' % (kind, sym, lv(bids), lv(asks), checksum, ts)

def ws(n, send):
    return '{"ws":%d,"send":%s}' % (n, send)

def wait(n, contains=None, why=None):
    d = {"ws": n, "wait": "message"}
    if contains is not None:
        d["contains"] = contains
    if why:
        d["_why"] = why
    return json.dumps(d, separators=(',', ':'))

def release(n, why):
    return json.dumps({"ws": n, "wait": "release", "_why": why}, separators=(',', ':'))

STATUS = '{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":12393906104898154338,"system":"online","version":"2.0.0"}]}'
HEARTBEAT = '{"channel":"heartbeat"}'
INSTR_ACK = '{"method":"subscribe","result":{"channel":"instrument","snapshot":true},"success":true,"time_in":"2023-11-14T22:13:19.000001Z","time_out":"2023-11-14T22:13:19.000002Z"}'
INSTRUMENTS = ('{"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"BTC","status":"enabled","precision":10,"precision_display":5,"borrowable":true,"collateral_value":1.0,"margin_rate":0.01}],"pairs":['
    '{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":1e-08,"price_precision":1,"cost_precision":5,"marginable":true,"has_index":true,"cost_min":0.5,"tick_size":0.1,"price_increment":0.1,"qty_min":0.0001},'
    '{"symbol":"ETH/USD","base":"ETH","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":2,"cost_precision":5,"marginable":true,"has_index":true,"cost_min":0.5,"tick_size":0.01,"price_increment":0.01,"qty_min":0.001},'
    '{"symbol":"OLD/USD","base":"OLD","quote":"USD","status":"delisted","qty_precision":8,"qty_increment":1e-08,"price_precision":4,"cost_precision":5,"marginable":false,"has_index":false,"cost_min":0.5,"tick_size":0.0001,"price_increment":0.0001,"qty_min":1.0}]}}')

def discovery(n):
    return [ws(n, STATUS), wait(n, '"instrument"', 'instrument discovery'), ws(n, INSTR_ACK), ws(n, INSTRUMENTS)]

BOOK_SUB = '"method":"subscribe","params":{"channel":"book"'
B1 = [('64000.0', '1.50000000'), ('63999.5', '0.25000000')]
A1 = [('64000.5', '0.10000000'), ('64001.0', '2.00000000')]
E_B = [('3000.00', '10.00000000')]
E_A = [('3000.50', '4.00000000')]
B2 = [('64000.0', '1.50000000')]
A2 = A1 + [('64002.0', '0.50000000')]
B3 = [('64001.0', '2.00000000')]
A3 = [('64003.0', '5.00000000')]
B4 = [('64002.5', '0.75000000')]
A4 = [('64004.0', '1.25000000')]

TRADES = '{"channel":"trade","type":"snapshot","data":[{"symbol":"BTC/USD","side":"buy","price":64000.5,"qty":0.01000000,"ord_type":"market","trade_id":1001,"timestamp":"2023-11-14T22:13:20.100000Z"}]}'
TICKER = '{"channel":"ticker","type":"snapshot","data":[{"symbol":"BTC/USD","bid":64000.0,"bid_qty":1.50000000,"ask":64000.5,"ask_qty":0.10000000,"last":64000.5,"volume":1234.56789000,"vwap":63900.1,"low":63000.0,"high":64500.0,"change":500.5,"change_pct":0.79,"timestamp":"2023-11-14T22:13:20.200000Z"}]}'
OHLC = '{"channel":"ohlc","type":"update","timestamp":"2023-11-14T22:13:20.300000000Z","data":[{"symbol":"BTC/USD","open":64000.0,"high":64000.5,"low":63999.5,"close":64000.5,"trades":3,"volume":0.51000000,"vwap":64000.1,"interval_begin":"2023-11-14T22:13:00.000000000Z","interval":1,"timestamp":"2023-11-14T22:14:00.000000Z"}]}'

def acks(n, method, channel, sym):
    return ws(n, '{"method":"%s","result":{"channel":"%s","symbol":"%s"},"success":true,"time_in":"2023-11-14T22:13:21.000001Z","time_out":"2023-11-14T22:13:21.000002Z"}' % (method, channel, sym))

def session_book():
    out = ['{"_comment":"synthetic Kraken v2 session: instrument discovery on connection 1; connection 2 syncs BTC/USD and ETH/USD, applies an update, gets a checksum mismatch (one resubscribe, updates ignored until the new snapshot, recovery, an update), then falls silent (ping, reconnect); connection 3 resyncs. Prices end in .0 and quantities keep trailing zeros, as Kraken writes them."}']
    out += discovery(1)
    out += [ws(2, STATUS), wait(2, BOOK_SUB, 'the book subscription'),
            ws(2, book('snapshot', 'BTC/USD', B1, A1, crc(B1, A1))),
            ws(2, book('snapshot', 'ETH/USD', E_B, E_A, crc(E_B, E_A))),
            ws(2, TRADES), ws(2, TICKER), ws(2, OHLC),
            ws(2, '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":63999.5,"qty":0.00000000}],"asks":[{"price":64002.0,"qty":0.50000000}],"checksum":%d,"timestamp":"2023-11-14T22:13:20.400000Z"}]}' % crc(B2, A2)),
            ws(2, HEARTBEAT),
            release(2, 'the test checks the synced books'),
            ws(2, '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":63998.0,"qty":1.00000000}],"asks":[],"checksum":12345,"timestamp":"2023-11-14T22:13:20.500000Z"}]}'),
            ws(2, '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":63000.0,"qty":9.00000000}],"asks":[],"checksum":%d,"timestamp":"2023-11-14T22:13:20.600000Z"}]}' % crc(B2 + [('63000.0', '9.00000000')], A2)),
            wait(2, '"method":"unsubscribe","params":{"channel":"book"', 'the resubscription: unsubscribe'),
            wait(2, BOOK_SUB, 'the resubscription: subscribe'),
            acks(2, 'unsubscribe', 'book', 'BTC/USD'), acks(2, 'subscribe', 'book', 'BTC/USD'),
            ws(2, book('snapshot', 'BTC/USD', B3, A3, crc(B3, A3))),
            ws(2, '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":64000.5,"qty":0.30000000}],"asks":[],"checksum":%d,"timestamp":"2023-11-14T22:13:21.100000Z"}]}' % crc(B3 + [('64000.5', '0.30000000')], A3)),
            release(2, 'the test checks the recovery; then silence'),
            wait(3, BOOK_SUB, 'the new connection subscribes again'),
            ws(3, book('snapshot', 'BTC/USD', B4, A4, crc(B4, A4))),
            ws(3, book('snapshot', 'ETH/USD', E_B, E_A, crc(E_B, E_A))),
            ws(3, HEARTBEAT)]
    return out

def session_unverified():
    out = ['{"_comment":"synthetic Kraken v2 session: BTC/USD snapshots whose checksum never matches; after five failures in a row the book is published unverified, then a matching update verifies it again"}']
    out += [wait(1, BOOK_SUB, 'the book subscription')]
    bad = crc(B1, A1) ^ 1
    out.append(ws(1, book('snapshot', 'BTC/USD', B1, A1, bad)))
    for i in range(4):
        out += [wait(1, '"method":"unsubscribe"', 'resubscription %d' % (i + 1)), wait(1, BOOK_SUB),
                ws(1, book('snapshot', 'BTC/USD', B1, A1, bad))]
    out.append(release(1, 'the test sees the unverified book'))
    out.append(ws(1, '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":63999.5,"qty":0}],"asks":[{"price":64002.0,"qty":0.50000000}],"checksum":%d,"timestamp":"2023-11-14T22:13:20.400000Z"}]}' % crc(B2, A2)))
    out.append(ws(1, HEARTBEAT))
    return out

def session_faults():
    out = ['{"_comment":"synthetic Kraken v2 session for the fault proxy: connection 2 syncs, the test cuts it; connection 3 syncs, the test stalls it (silence, ping, reconnect); connection 4 syncs"}']
    out += discovery(1)
    for n, (b, a) in ((2, (B1, A1)), (3, (B3, A3)), (4, (B4, A4))):
        out += [ws(n, STATUS), wait(n, BOOK_SUB),
                ws(n, book('snapshot', 'BTC/USD', b, a, crc(b, a))),
                ws(n, book('snapshot', 'ETH/USD', E_B, E_A, crc(E_B, E_A))),
                ws(n, TICKER), ws(n, HEARTBEAT)]
    return out

import os
d = sys.argv[1]
for name, f in (('session-book.ndjson', session_book), ('session-unverified.ndjson', session_unverified), ('session-faults.ndjson', session_faults)):
    with open(os.path.join(d, name), 'w') as fh:
        fh.write('\n'.join(f()) + '\n')
