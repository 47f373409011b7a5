#!/usr/bin/env python3
"""Writes the crafted real-market fixtures of tests/core/tst_realmarketcases.cpp.

Hand-written data, not recorded: a BTCUSDT-like market of June 2026 with the statistics of
real Binance BTCUSDT (1m returns of about 5 bp with clustered volatility; open interest about
90,000 BTC whose 4 h changes stay within about +-1 % on nine windows in ten; funding a few
thousandths of a percent per 8 h), in the exact layouts of data.binance.vision futures/um
dumps: daily kline zips (1m on the four days of the cases, 5m on the others), daily metrics zips and the
monthly fundingRate file. Into it are written the cases the range analysis must read right:

  2026-06-15 08:00-12:00  a short squeeze: price about +3.5 %, open interest about -2.5 % during the jump
  2026-06-16 08:00-12:00  a drop into which shorts were added: price about -2.3 %, OI about +1.7 %
  2026-06-17 00:00-12:00  the largest deleveraging of the month: OI about -5 %, price flat
(the drifts are the figures of the real cases; the noise on top moves them a little)
  2026-06-18              funding settles at -0.0034 % (neutral, not elevated); 04:00-08:00 a
                          -1.6 % drop with open interest flat
  2026-06-19 .. 06-23     no metrics files: five days without open interest
  2026-06-24              metrics again

Run it from this folder; it is deterministic (seeded). Liquidations are in none of these
files (Binance no longer publishes them), as on any imported Binance history.
"""
import io
import math
import os
import random
import zipfile
from datetime import datetime, timedelta, timezone

SYMBOL = "BTCUSDT"
START = datetime(2026, 6, 1, tzinfo=timezone.utc)
DAYS = 24
MINUTE_DAYS = range(14, 18)      # 06-15 .. 06-18 (the cases) as 1m klines, the other days as 5m
METRICS_MISSING = range(18, 23)  # day index: 06-19 .. 06-23
KLINES_HEADER = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore"
METRICS_HEADER = ("create_time,symbol,sum_open_interest,sum_open_interest_value,count_toptrader_long_short_ratio,"
                  "sum_toptrader_long_short_ratio,count_long_short_ratio,sum_taker_long_short_vol_ratio")
MINUTE = 60_000

rng = random.Random(20260615)


def ms(dt):
    return int(dt.timestamp() * 1000)


def at(day, hour, minute=0):
    return ms(START + timedelta(days=day - 1, hours=hour, minutes=minute))


# Events: (from, to, total price change, total OI change), each as a log drift spread
# evenly over its minutes; OI may run over a sub-window of its own.
EVENTS = [
    # squeeze: price up 3.3 % over 08:00-12:00, OI down 2.2 % while it jumps (09:00-11:30)
    {"price": (at(15, 8), at(15, 12), 0.033), "oi": (at(15, 9), at(15, 11, 30), -0.022), "buy": 0.62},
    # shorts added into a drop
    {"price": (at(16, 8), at(16, 12), -0.026), "oi": (at(16, 8), at(16, 12), 0.019), "buy": 0.40},
    # deleveraging with price flat
    {"price": (at(17, 0), at(17, 12), 0.0), "oi": (at(17, 0), at(17, 12), -0.052), "buy": 0.50, "calm": True},
    # a drop with open interest flat, funding negative
    {"price": (at(18, 4), at(18, 8), -0.016), "oi": (at(18, 4), at(18, 8), 0.0), "buy": 0.43, "flat_oi": True},
]


def drift(t, kind):
    for e in EVENTS:
        a, b, total = e[kind]
        if a <= t < b:
            return math.log1p(total) / ((b - a) / MINUTE), e
    return 0.0, None


def simulate():
    minutes = DAYS * 1440
    t0 = ms(START)
    price, oi, vol = 104_800.0, 90_500.0, 0.00053
    bars, ois = [], []
    for i in range(minutes):
        t = t0 + i * MINUTE
        d, event = drift(t, "price")
        shock = rng.gauss(0, 1) * (3.0 if rng.random() < 0.01 else 1.0)
        # Inside a case the drift tells the story; the noise is smaller so the figures stay
        # close to what the case says.
        sigma = vol * (0.35 if event and event.get("calm") else 0.4 if event else 1.0)
        r = d + sigma * shock
        vol = math.sqrt(0.00053 ** 2 * 0.05 + 0.90 * vol * vol + 0.05 * (sigma * shock) ** 2)
        o = price
        c = o * math.exp(r)
        wick = abs(rng.gauss(0, 1)) * sigma * o * 0.6
        h = max(o, c) + wick * rng.random()
        l = min(o, c) - wick * rng.random()
        volume = 8 * (1 + abs(shock)) * (2.5 if event and d != 0 else 1.0) * (0.6 + rng.random() * 0.8)
        buy = (event["buy"] if event else 0.5) + rng.gauss(0, 0.04) + max(-0.08, min(0.08, r / 0.002 * 0.05))
        buy = min(0.95, max(0.05, buy))
        bars.append((t, o, h, l, c, volume, buy))
        price = c
        # Open interest: a mean-reverting walk of about 0.11 % per 5 minutes, plus the events.
        od, oevent = drift(t, "oi")
        step = 0.0 if oevent and oevent.get("flat_oi") else rng.gauss(0, 0.0011 / math.sqrt(5) * (0.3 if oevent else 1.0))
        oi *= math.exp(od + step - 0.00002 * math.log(oi / 90_500.0))
        ois.append(oi)
    return bars, ois


def fmt(x, decimals):
    return f"{x:.{decimals}f}"


def tick(p):
    return round(p * 10) / 10  # BTCUSDT trades in 0.1 USDT


def kline_rows(bars, step):
    rows = []
    for k in range(0, len(bars), step):
        chunk = bars[k:k + step]
        t = chunk[0][0]
        o = tick(chunk[0][1])
        c = tick(chunk[-1][4])
        h = max(tick(b[2]) for b in chunk)
        l = min(tick(b[3]) for b in chunk)
        h, l = max(h, o, c), min(l, o, c)
        v = sum(b[5] for b in chunk)
        q = sum(b[5] * (b[1] + b[4]) / 2 for b in chunk)
        bv = sum(b[5] * b[6] for b in chunk)
        bq = sum(b[5] * b[6] * (b[1] + b[4]) / 2 for b in chunk)
        n = int(v * 9 + 40)
        rows.append(",".join([str(t), fmt(o, 2), fmt(h, 2), fmt(l, 2), fmt(c, 2), fmt(v, 3), str(t + step * MINUTE - 1),
                              fmt(q, 5), str(n), fmt(bv, 3), fmt(bq, 5), "0"]))
    return rows


def write_zip(path, inner, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(inner, date_time=(2026, 7, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    bars, ois = simulate()
    root = "futures/um"
    for day in range(DAYS):
        date = (START + timedelta(days=day)).strftime("%Y-%m-%d")
        day_bars = bars[day * 1440:(day + 1) * 1440]
        interval = "1m" if day in MINUTE_DAYS else "5m"
        step = 5 if interval == "5m" else 1
        name = f"{SYMBOL}-{interval}-{date}"
        write_zip(f"{root}/daily/klines/{SYMBOL}/{interval}/{name}.zip", name + ".csv",
                  KLINES_HEADER + "\n" + "\n".join(kline_rows(day_bars, step)) + "\n")
        if day in METRICS_MISSING:
            continue
        rows = []
        for k in range(0, 1440, 5):
            i = day * 1440 + k
            t = START + timedelta(days=day, minutes=k)
            oi = ois[i]
            value = oi * bars[i][1]
            rows.append(",".join([t.strftime("%Y-%m-%d %H:%M:%S"), SYMBOL, fmt(oi, 16), fmt(value, 16), fmt(1.1 + rng.random() * 0.2, 8),
                                  fmt(1.4 + rng.random() * 0.2, 8), fmt(1.0 + rng.random() * 0.2, 8), fmt(0.8 + rng.random() * 0.4, 8)]))
        name = f"{SYMBOL}-metrics-{date}"
        write_zip(f"{root}/daily/metrics/{SYMBOL}/{name}.zip", name + ".csv", METRICS_HEADER + "\n" + "\n".join(rows) + "\n")
    # Funding: 8-hourly settlements a few ms after the hour; -0.0034 % on the 18th.
    rows = []
    for k in range(DAYS * 3):
        t = ms(START) + k * 8 * 3_600_000
        day = k // 3 + 1
        rate = 0.00004 + rng.gauss(0, 0.000025)
        if day == 18:
            rate = -0.000034
        if rng.random() < 0.25:
            rate = 0.0001  # the baseline, as on about a third of real days
        rows.append(f"{t + 1 + k % 3},8,{rate:.8f}")
    name = f"{SYMBOL}-fundingRate-2026-06"
    write_zip(f"{root}/monthly/fundingRate/{SYMBOL}/{name}.zip", name + ".csv",
              "calc_time,funding_interval_hours,last_funding_rate\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
