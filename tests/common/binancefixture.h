#pragma once

// The Binance data the loopback servers serve in the client tests: the real LINKUSDT
// 2023-02 1m klines (tests/data), with hand-made mark price bars near them, settlements every
// 8 h and 5-minute open interest (documented formats; not recordings). And the source the
// tests point at the servers. Header-only: each test is its own executable.

#include "fakebinance.h"
#include "sources/datasource.h"
#include "sources/sourcefactory.h"
#include "testutil.h"
#include "testzip.h"

namespace BinanceFixture {

constexpr qint64 feb1 = 1'675'209'600'000;
constexpr qint64 minute = 60'000;

inline FakeBinance::Dataset linkFebruary()
{
    FakeBinance::Dataset d;
    const QByteArray csv = TestZip::extractFirst(TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip")));
    for (const QByteArray &line : csv.split('\n')) {
        const auto f = line.trimmed().split(',');
        if (f.size() != 12 || !std::isdigit(uchar(f[0][0])))
            continue;
        const Candle c{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(), f[7].toDouble(),
                       f[9].toDouble()};
        d.candles << c;
        d.mark << Candle{c.ts, c.open * 1.0002, c.high * 1.0002, c.low * 1.0002, c.close * 1.0002, 0, 0, 0};
    }
    int i = 0;
    for (qint64 t = feb1; t < feb1 + 28 * 86'400'000LL; t += 8 * 3'600'000LL, ++i)
        d.funding << FakeBinance::Funding{t + 1 + i % 3, QByteArray::number(((i % 9) - 4) * 0.0000125, 'f', 8)};
    for (qint64 t = feb1, k = 0; t < feb1 + 28 * 86'400'000LL; t += 300'000, ++k)
        d.openInterest << OpenInterestSample{t, 23'000'000 + k * 1000.5, (23'000'000 + k * 1000.5) * 6.9};
    return d;
}

// Fast timings for loopback tests; extra overrides them.
inline DataSource *client(const QString &restUrl, const QString &wsUrl, double days, bool live, const QMap<QString, QString> &extra = {},
                          const QString &symbol = QStringLiteral("LINKUSDT"))
{
    SourceOptions o;
    o.source = QStringLiteral("binance");
    o.instrument = {QStringLiteral("BINANCE"), symbol};
    o.days = days;
    o.live = live;
    o.extra = {{QStringLiteral("rest_url"), restUrl},           {QStringLiteral("ws_url"), wsUrl},
               {QStringLiteral("batch_ms"), QStringLiteral("50")}, {QStringLiteral("oi_poll_ms"), QStringLiteral("1000")},
               {QStringLiteral("timeout_ms"), QStringLiteral("700")}, {QStringLiteral("backoff_ms"), QStringLiteral("50")},
               {QStringLiteral("backoff_cap_ms"), QStringLiteral("400")}, {QStringLiteral("silence_ms"), QStringLiteral("4000")},
               {QStringLiteral("reconnect_ms"), QStringLiteral("50")}, {QStringLiteral("reconnect_cap_ms"), QStringLiteral("200")}};
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        o.extra[it.key()] = it.value();
    QString error;
    DataSource *s = SourceFactory::create(o, &error);
    if (!s)
        qFatal("%s", qPrintable(error));
    return s;
}

template<typename Row>
QVector<Row> between(const QVector<Row> &rows, qint64 from, qint64 to)
{
    QVector<Row> out;
    for (const Row &r : rows)
        if (r.ts >= from && r.ts < to)
            out << r;
    return out;
}

} // namespace BinanceFixture
