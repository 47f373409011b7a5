#!/usr/bin/env python3
"""Writes the fuzz seeds in tests/data/fuzz/<target>/ from the project's own fixtures (run
once; the results are committed). Real data where the project has it: the LINKUSDT klines
dump, the Binance stream capture and exchangeInfo response (cryptofeed; see the notice in
tests/data/fuzz/README.md). Hand-written from the documented formats where it has none
(aggTrades, fundingRate, metrics, REST pages other than exchangeInfo, markPrice and
forceOrder messages): those files are named hand-*."""
import io, json, os, struct, zipfile

root = os.path.join(os.path.dirname(__file__), '..', 'data')
out = os.path.join(root, 'fuzz')
day = open(os.path.join(root, 'binance', 'LINKUSDT-1m-2023-02-01.csv'), 'rb').read().split(b'\n')
header, rows = day[0], [r for r in day[1:] if r]

def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, name), 'wb').write(data)

def chunk(start, n, with_header=True):
    return (header + b'\n' if with_header else b'') + b'\n'.join(rows[start:start + n]) + b'\n'

# CSV rows of each dump kind
put('klines_rows', 'real-linkusdt-header', chunk(0, 40))
put('klines_rows', 'real-linkusdt-noheader-crlf', chunk(700, 40, False).replace(b'\n', b'\r\n'))
micro = [b','.join([f[0] + b'000', *f[1:6], f[6] + b'999', *f[7:]]) for f in (r.split(b',') for r in rows[100:120])]
put('klines_rows', 'real-linkusdt-microseconds', b'\n'.join(micro) + b'\n')
put('aggtrades_rows', 'hand-aggtrades',
    b'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n'
    b'1446230265,21820.30,1.614,2815718001,2815718002,1662940800166,true\n'
    b'1446230266,21820.40,0.018,2815718003,2815718003,1662940800200,false\n'
    b'1446230266,21820.40,0.018,2815718003,2815718003,1662940800200,false\n')
put('fundingrate_rows', 'hand-fundingrate',
    b'calc_time,funding_interval_hours,last_funding_rate\n1675209600001,8,0.00004123\n1675238400002,4,-0.00010000\n')
put('metrics_rows', 'hand-metrics',
    b'create_time,symbol,sum_open_interest,sum_open_interest_value,count_toptrader_long_short_ratio,'
    b'sum_toptrader_long_short_ratio,count_long_short_ratio,sum_taker_long_short_vol_ratio\n'
    b'2026-08-20 00:35:00,BTCUSDT,107623.133,7497622895.4992,1.12763794,1.49445800,1.07922842,2.45605600\n'
    b'2021-01-01 00:00:00,BTCUSDT,,,,,,\n2021-01-01 00:05:00,BTCUSDT,2.9277658452832E9,1e10,1,1,1,1\n')

# Our own CSV, written from the real bars as `perpscope export csv` writes them
own = [b'ts,open,high,low,close,volume,quote_volume,taker_buy_volume']
for r in rows[:30]:
    f = r.split(b',')
    own.append(b','.join([f[0], f[1], f[2], f[3], f[4], f[5], f[7], f[9]]))
put('own_csv_rows', 'real-candles', b'\n'.join(own) + b'\n')
put('own_csv_rows', 'hand-funding-oi-liquidations',
    b'ts,rate,interval_hours\n1675209600000,0.0001,8\n1675238400000,-3.75e-05,4\n'
    b'ts,open_interest,open_interest_usd\n1675209600000,23456789.123,160000000\n'
    b'ts,side,price,qty,seq,in_exchange_feed\n1675209601234,long,6.951,1200.5,0,1\n1675209601234,short,7,0.1,1,0\n')

# Whole files: the first byte picks the name (and zipping), see fuzztargets.cpp importFile
put('import_file', 'real-monthly-klines', b'\x00' + chunk(0, 60))
put('import_file', 'real-daily-klines-zipped', b'\xc1' + chunk(200, 60))
put('import_file', 'hand-aggtrades', b'\x02' + open(os.path.join(out, 'aggtrades_rows', 'hand-aggtrades'), 'rb').read()
    .replace(b'16629408', b'16752096'))  # inside the file's day, 2023-02-01
put('import_file', 'hand-fundingrate', b'\x03' + open(os.path.join(out, 'fundingrate_rows', 'hand-fundingrate'), 'rb').read())
put('import_file', 'hand-metrics', b'\x04' + open(os.path.join(out, 'metrics_rows', 'hand-metrics'), 'rb').read().replace(b'BTCUSDT', b'FUZZ')
    .replace(b'2026-08-20', b'2023-02-01').replace(b'2021-01-01', b'2023-02-01'))
put('import_file', 'real-own-candles', b'\x06' + b'\n'.join(own) + b'\n')

# The zip reader: the real rows zipped deflated, stored, and with a data descriptor
for name, method in (('real-deflated.zip', zipfile.ZIP_DEFLATED), ('real-stored.zip', zipfile.ZIP_STORED)):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', method) as z:
        z.writestr('LINKUSDT-1m-2023-02-01.csv', chunk(0, 80))
    put('zip_entry', name, buf.getvalue())
buf = io.BytesIO()
with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
    with z.open('LINKUSDT-1m-2023-02-01.csv', 'w', force_zip64=True) as f:
        f.write(chunk(300, 80))
put('zip_entry', 'real-zip64-descriptor.zip', buf.getvalue())

# The range drag payload: QDataStream (Qt 6) of quint8 1, QString db, QString exchange,
# QString symbol, qint64 from, qint64 to
def qstring(s):
    b = s.encode('utf-16-be')
    return struct.pack('>I', len(b)) + b
put('range_mime', 'hand-range',
    b'\x01' + qstring('/tmp/history.db') + qstring('BINANCE') + qstring('BTCUSDT') + struct.pack('>qq', 1675209600000, 1675296000000))

# Binance REST: the first byte picks the series (0 time, 1 exchangeInfo, 2 klines, 3 mark,
# 4 funding, 5 OI history, 6 OI now)
put('binance_rest', 'hand-time', b'\x00{"serverTime":1675209600123}')
put('binance_rest', 'real-exchangeinfo', b'\x01' + open(os.path.join(root, 'binance', 'fapi-exchangeInfo-2021-07-21-slice.json'), 'rb').read())
klines = [[int(f[0]), f[1].decode(), f[2].decode(), f[3].decode(), f[4].decode(), f[5].decode(), int(f[6]), f[7].decode(), int(f[8]),
           f[9].decode(), f[10].decode(), '0'] for f in (r.split(b',') for r in rows[:20])]
put('binance_rest', 'real-klines', b'\x02' + json.dumps(klines, separators=(',', ':')).encode())
put('binance_rest', 'real-mark-klines', b'\x03' + json.dumps([[k[0], k[1], k[2], k[3], k[4], '0', k[6], '0', 60, '0', '0', '0'] for k in klines],
                                                              separators=(',', ':')).encode())
put('binance_rest', 'hand-funding',
    b'\x04[{"symbol":"BTCUSDT","fundingRate":"-0.03750000","fundingTime":1570608000000,"markPrice":"34287.54619963"},'
    b'{"symbol":"BTCUSDT","fundingRate":"0.00010000","fundingTime":1570636800000,"markPrice":"34287.54619963"}]')
put('binance_rest', 'hand-oi-history',
    b'\x05[{"symbol":"BTCUSDT","sumOpenInterest":"20403.63700000","sumOpenInterestValue":"150570784.07809979",'
    b'"CMCCirculatingSupply":"165880.538","timestamp":"1583127900000"},{"symbol":"BTCUSDT","sumOpenInterest":"20401.36700000",'
    b'"sumOpenInterestValue":"149940752.14464448","timestamp":1583128200000}]')
put('binance_rest', 'hand-oi-now', b'\x06{"openInterest":"10659.509","symbol":"BTCUSDT","time":1589437530011}')
put('binance_rest', 'hand-error', b'\x02{"code":-1003,"msg":"Too much request weight used; current limit is 2400 request weight per 1 MINUTE."}')

# Binance stream: real messages of the capture, one per file; markPrice and forceOrder by hand
capture = [l for l in open(os.path.join(root, 'binance', 'fstream-capture-2021-07-22.jsonl'), 'rb').read().split(b'\n') if l]
seen = {}
for l in capture:
    e = json.loads(l)['data']['e'] + ('-closed' if json.loads(l)['data'].get('k', {}).get('x') else '')
    if seen.get(e, 0) < 4:
        seen[e] = seen.get(e, 0) + 1
        put('binance_stream', 'real-%s-%d' % (e, seen[e]), l)
put('binance_stream', 'hand-markprice',
    b'{"stream":"btcusdt@markPrice@1s","data":{"e":"markPriceUpdate","E":1562305380000,"s":"BTCUSDT","p":"11794.15000000",'
    b'"i":"11784.62659091","P":"11784.25641265","r":"0.00038167","T":1562306400000}}')
put('binance_stream', 'hand-forceorder',
    b'{"stream":"btcusdt@forceOrder","data":{"e":"forceOrder","E":1568014460893,"o":{"s":"BTCUSDT","S":"SELL","o":"LIMIT","f":"IOC",'
    b'"q":"0.014","p":"9910","ap":"9910","X":"FILLED","l":"0.014","z":"0.014","T":1568014460893}}}')

# Margin tiers (hand-written fixtures in the documented formats): the lists alone for the
# margin_tiers target (first byte: 0 Bybit, 1 OKX linear, 2 OKX inverse), and the whole Bybit
# answer for bybit_rest (first byte 7: RestSeries::MarginTiers).
bybit_tiers = open(os.path.join(root, 'bybit', 'risk-limit-BTCUSDT-handwritten.json'), 'rb').read().strip()
okx_tiers = json.dumps(json.loads(open(os.path.join(root, 'okx', 'position-tiers-BTC-USDT-handwritten.json'), 'rb').read())['data'],
                       separators=(',', ':')).encode()
put('margin_tiers', 'hand-bybit-risk-limit', b'\x00' + json.dumps(json.loads(bybit_tiers)['result']['list'], separators=(',', ':')).encode())
put('margin_tiers', 'hand-okx-position-tiers', b'\x01' + okx_tiers)
put('margin_tiers', 'hand-okx-inverse-position-tiers', b'\x02' + okx_tiers.replace(b'BTC-USDT', b'BTC-USD'))
put('bybit_rest', 'hand-risk-limit', b'\x07' + bybit_tiers)
