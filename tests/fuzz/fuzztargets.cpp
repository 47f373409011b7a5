#include "fuzztargets.h"

#include "domain/plausibility.h"
#include "fuzzvenues.h"
#include "rangemime.h"
#include "sources/bybit/bybitrisklimits.h"
#include "sources/okx/okxpositiontiers.h"
#include "sources/import/csvfields.h"
#include "sources/import/fileimport.h"
#include "sources/import/rowparsers.h"
#include "sources/import/zipentrydevice.h"
#include "storage/storewriter.h"
#include "testzip.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QFile>
#include <QMimeData>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

namespace FuzzTargets {

void check(bool ok, const char *what)
{
    if (ok)
        return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

} // namespace FuzzTargets

namespace {

using FuzzTargets::check;

const Instrument fuzzInstrument{QStringLiteral("BINANCE"), QStringLiteral("FUZZ")};

// What a parser let through must be a batch the store takes: one bad row must never sink a
// whole batch of good ones.
void storable(const MarketBatch &b, const char *what)
{
    const QString verdict = StoreWriter::validate(b);
    if (!verdict.isEmpty()) {
        std::fprintf(stderr, "%s: %s\n", what, qPrintable(verdict));
        std::abort();
    }
}

template<typename F>
void eachLine(const uint8_t *data, size_t size, F f)
{
    const QByteArrayView all(reinterpret_cast<const char *>(data), qsizetype(size));
    qsizetype start = 0;
    while (start <= all.size()) {
        qsizetype end = all.indexOf('\n', start);
        if (end < 0)
            end = all.size();
        f(CsvFields(all.sliced(start, end - start)));
        start = end + 1;
    }
}

// --- rows of each layout -----------------------------------------------------------------

void klineRows(const uint8_t *d, size_t n)
{
    MarketBatch b;
    b.instrument = fuzzInstrument;
    TimeColumn time;
    eachLine(d, n, [&](const CsvFields &f) {
        Candle c;
        qint64 interval = 0;
        RowProblem p;
        if (RowParsers::kline(f, time, &c, &interval, &p)) {
            check(interval > 0 && c.vwap() >= c.low * 0.99 && c.vwap() <= c.high * 1.01, "an accepted kline has its VWAP inside the bar");
            b.candles << c;
        }
    });
    storable(b, "klines");
}

void aggTradeRows(const uint8_t *d, size_t n)
{
    TimeColumn time;
    eachLine(d, n, [&](const CsvFields &f) {
        AggTrade t;
        RowProblem p;
        if (RowParsers::aggTrade(f, time, &t, &p))
            check(Plausibility::price(t.price) && Plausibility::positiveSize(t.qty) && Plausibility::time(t.ts), "an accepted agg trade is plausible");
    });
}

void fundingRateRows(const uint8_t *d, size_t n)
{
    MarketBatch b;
    b.instrument = fuzzInstrument;
    TimeColumn time;
    eachLine(d, n, [&](const CsvFields &f) {
        FundingSample s;
        RowProblem p;
        if (RowParsers::fundingRate(f, time, &s, &p))
            b.funding << s;
    });
    storable(b, "fundingRate");
}

void metricsRows(const uint8_t *d, size_t n)
{
    MarketBatch b;
    b.instrument = fuzzInstrument;
    eachLine(d, n, [&](const CsvFields &f) {
        OpenInterestSample o;
        QByteArrayView symbol;
        bool empty = false;
        RowProblem p;
        if (RowParsers::metrics(f, &o, &symbol, &empty, &p) && !empty)
            b.openInterest << o;
    });
    storable(b, "metrics");
}

void ownRows(const uint8_t *d, size_t n)
{
    MarketBatch b;
    b.instrument = fuzzInstrument;
    eachLine(d, n, [&](const CsvFields &f) {
        RowProblem p;
        Candle c;
        if (RowParsers::ownCandle(f, &c, &p))
            b.candles << c;
        FundingSample s;
        if (RowParsers::ownFunding(f, &s, &p))
            b.funding << s;
        OpenInterestSample o;
        if (RowParsers::ownOpenInterest(f, &o, &p))
            b.openInterest << o;
        Liquidation l;
        if (RowParsers::ownLiquidation(f, &l, &p))
            b.liquidations << l;
    });
    storable(b, "own CSV rows");
}

// --- whole files ---------------------------------------------------------------------------

// The first byte picks the file name (and so the kind the importer detects) and whether the
// rest is zipped; the importer runs over it as over a file on disk.
void importFile(const uint8_t *d, size_t n)
{
    if (n < 1)
        return;
    static const char *names[] = {"FUZZ-1m-2023-02.csv",          "FUZZ-1m-2023-02-01.csv",      "FUZZ-aggTrades-2023-02-01.csv",
                                  "FUZZ-fundingRate-2023-02.csv", "FUZZ-metrics-2023-02-01.csv", "FUZZ-1h-2023-02.csv",
                                  "own-export.csv",               "own-mark.csv"};
    static QTemporaryDir dir(QFile::exists(QStringLiteral("/dev/shm")) ? QStringLiteral("/dev/shm/perpscope-fuzz-XXXXXX") : QString());
    const QString name = QLatin1String(names[(d[0] & 0x7f) % (sizeof names / sizeof *names)]);
    const bool zipped = d[0] & 0x80;
    QByteArray content(reinterpret_cast<const char *>(d + 1), qsizetype(n - 1));
    if (zipped)
        content = TestZip::make(name, content, {(d[0] & 0x40) != 0, false, false});
    const QString path = dir.filePath(zipped ? QString(name).replace(QLatin1String(".csv"), QLatin1String(".zip")) : name);
    {
        QFile f(path);
        check(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size(), "the fuzz input could be written");
    }
    ImportFormat::Hints hints;
    if (name.startsWith(QLatin1String("own")))
        hints.instrument = fuzzInstrument;
    qint64 rows = 0;
    FileImport import(path, hints, [&](const MarketBatch &b) {
        storable(b, "an imported batch");
        rows += b.rowCount();
    });
    import.setFlushRows(64);
    import.run();
    const ImportSummary::File &r = import.report();
    check(r.rows == rows, "the report counts the rows handed to the store");
    check(r.ok() || !r.error.isEmpty(), "a failed file says why");
    QFile::remove(path);
}

void zipEntry(const uint8_t *d, size_t n)
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(reinterpret_cast<const char *>(d), qsizetype(n));
    ZipEntryDevice zip(std::move(buffer));
    if (!zip.open(QIODevice::ReadOnly))
        return;
    QByteArray buf(4096 + int(n % 7919), Qt::Uninitialized);
    qint64 total = 0;
    for (int reads = 0; reads < 1 << 20; ++reads) {
        const qint64 got = zip.read(buf.data(), buf.size());
        if (got <= 0)
            break;
        total += got;
        check(total <= zip.uncompressedSize(), "an entry never yields more than its directory says");
    }
    if (zip.verified())
        check(total == zip.uncompressedSize(), "a verified entry has exactly its size");
}

void rangeMime(const uint8_t *d, size_t n)
{
    QMimeData mime;
    mime.setData(QString::fromLatin1(RangeMime::type), QByteArray(reinterpret_cast<const char *>(d), qsizetype(n)));
    if (const auto p = RangeMime::decode(&mime)) {
        check(p->range.isValid() && Plausibility::time(p->range.from) && Plausibility::time(p->range.to - 1), "a decoded range lies in market time");
        RangeMime::label(*p);
        RangeMime::suggestedFileName(*p);
    }
}

// --- each venue's messages ---------------------------------------------------------------

// What the feed and the client make of parsed tiers before the writer sees them: coins
// valued at a price, the time of the answer where the venue gave none.
QVector<MarginTier> storableTiers(QVector<MarginTier> tiers, bool inCoins)
{
    for (MarginTier &t : tiers) {
        if (inCoins) {
            t.floor *= 10.0;
            t.cap *= 10.0;
            t.referencePrice = 10.0;
        }
        if (t.fetchedMs <= 0 || !Plausibility::time(t.fetchedMs))
            t.fetchedMs = 1'675'209'600'000;
    }
    if (!MarginTiers::check(tiers).isEmpty())
        return {}; // valued beyond any notional: the feed drops such a schedule too
    return tiers;
}

// The tiers parsers alone (the first byte picks Bybit risk-limit, OKX linear or OKX inverse
// position-tiers; the rest is the response's list). Whatever parses is a valid schedule.
void marginTiers(const uint8_t *d, size_t n)
{
    if (n < 1)
        return;
    const QJsonArray list = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(d + 1), qsizetype(n - 1))).array();
    QVector<MarginTier> tiers;
    bool inCoins = false;
    QString error;
    bool ok = false;
    switch (d[0] % 3) {
    case 0: ok = BybitRiskLimits::parse(list, QStringLiteral("BTCUSDT"), 0, &tiers, &error); break;
    case 1: ok = OkxPositionTiers::parse(list, QStringLiteral("BTC-USDT-SWAP"), {0.01, 1, false, {}, {}}, 0, &tiers, &inCoins, &error); break;
    default: ok = OkxPositionTiers::parse(list, QStringLiteral("BTC-USD-SWAP"), {100, 1, true, {}, {}}, 0, &tiers, &inCoins, &error); break;
    }
    if (!ok) {
        check(!error.isEmpty(), "a refused schedule says why");
        return;
    }
    check(MarginTiers::check(tiers).isEmpty(), "a parsed schedule is a valid one");
    MarketBatch b;
    b.instrument = fuzzInstrument;
    b.marginTiers = storableTiers(tiers, inCoins);
    storable(b, "parsed margin tiers");
    QVector<MarginTier> derived = b.marginTiers;
    MarginTiers::deriveCum(derived);
    for (const MarginTier &t : std::as_const(derived))
        check(std::isfinite(t.cum), "every derived maintenance amount is a number");
}

// The first byte picks the series the body answers; the rest is the body.
template<typename Adapter>
void restMessage(const uint8_t *d, size_t n)
{
    if (n < 1)
        return;
    const Adapter adapter;
    // Margin tiers last: the seeds' first bytes 0..6 keep their series.
    static const RestSeries series[] = {RestSeries::ServerTime,          RestSeries::ExchangeInfo,   RestSeries::Candles, RestSeries::MarkCandles,
                                        RestSeries::Funding,             RestSeries::OpenInterestHistory, RestSeries::OpenInterestNow,
                                        RestSeries::MarginTiers};
    const RestSeries s = series[d[0] % (sizeof series / sizeof *series)];
    if (s == RestSeries::MarginTiers && !adapter.marginTiers(fuzzInstrument))
        return; // the venue publishes none (Binance)
    const RestRequest request = s == RestSeries::ServerTime     ? adapter.serverTime()
                              : s == RestSeries::ExchangeInfo ? adapter.exchangeInfo()
                              : s == RestSeries::MarginTiers  ? *adapter.marginTiers(fuzzInstrument)
                                                              : adapter.page(s, fuzzInstrument, 1'675'209'600'000, 1'675'296'000'000);
    const QByteArray body(reinterpret_cast<const char *>(d + 1), qsizetype(n - 1));
    RestPage page;
    QString error;
    if (adapter.parse(request, body, &page, &error)) {
        MarketBatch b;
        b.instrument = fuzzInstrument;
        (s == RestSeries::MarkCandles ? b.markCandles : b.candles) = page.candles;
        b.funding = page.funding;
        for (FundingSample &f : b.funding)
            if (f.intervalHours <= 0) // a lone settlement: the feed gives it the venue's listed interval
                f.intervalHours = 8;
        b.openInterest = page.openInterest;
        for (OpenInterestSample &o : b.openInterest)
            if (std::isnan(o.openInterestUsd)) // coins only (Bybit): the feed values it at a bar's price
                o.openInterestUsd = o.openInterest * 10.0;
        b.marginTiers = storableTiers(page.marginTiers, page.tiersInCoins);
        storable(b, "a parsed REST page");
    }
    adapter.judge(200 + d[0] % 400, {{"retry-after", body.left(8)}}, body, 1'675'209'600'000);
    adapter.usedWeight({{"x-mbx-used-weight-1m", body.left(12)}});
}

template<typename Adapter>
void streamMessage(const uint8_t *d, size_t n)
{
    const Adapter adapter;
    QList<StreamUpdate> updates;
    QString error;
    if (!adapter.parseStream(QByteArray(reinterpret_cast<const char *>(d), qsizetype(n)), &updates, &error))
        return;
    MarketBatch b;
    b.instrument = fuzzInstrument;
    for (const StreamUpdate &u : updates) {
        if (u.type == StreamUpdate::Type::Candle)
            b.candles << u.candle;
        else if (u.type == StreamUpdate::Type::Liquidation)
            b.liquidations << u.liquidation;
        else if (u.type == StreamUpdate::Type::MarkPrice)
            check(Plausibility::price(u.markPrice) && Plausibility::fundingRate(u.fundingRate), "a parsed mark price is plausible");
        else if (u.type == StreamUpdate::Type::Trade) // spot prints: the feed folds them into bars
            check(Plausibility::price(u.price) && Plausibility::positiveSize(u.qty) && Plausibility::time(u.eventTime), "a parsed print is plausible");
    }
    storable(b, "parsed stream updates");
}

} // namespace

namespace FuzzTargets {

const std::vector<Target> &all()
{
#define PERPSCOPE_FUZZ_VENUE_TARGETS(name, Adapter)                                                                                       \
    Target{QStringLiteral(#name "_rest"), restMessage<Adapter>}, Target{QStringLiteral(#name "_stream"), streamMessage<Adapter>},
    static const std::vector<Target> targets = {
        {QStringLiteral("klines_rows"), klineRows},
        {QStringLiteral("aggtrades_rows"), aggTradeRows},
        {QStringLiteral("fundingrate_rows"), fundingRateRows},
        {QStringLiteral("metrics_rows"), metricsRows},
        {QStringLiteral("own_csv_rows"), ownRows},
        {QStringLiteral("import_file"), importFile},
        {QStringLiteral("zip_entry"), zipEntry},
        {QStringLiteral("range_mime"), rangeMime},
        {QStringLiteral("margin_tiers"), marginTiers},
        PERPSCOPE_FUZZ_VENUES(PERPSCOPE_FUZZ_VENUE_TARGETS)};
#undef PERPSCOPE_FUZZ_VENUE_TARGETS
    return targets;
}

const Target *find(const QString &name)
{
    for (const Target &t : all())
        if (t.name == name)
            return &t;
    return nullptr;
}

} // namespace FuzzTargets
