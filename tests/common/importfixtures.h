#pragma once

// Shared by the import tests: files written into a temporary folder, imports run straight
// into a store (no data thread), and whole-store dumps to compare stores by value.
// Header-only: each test is its own executable.

#include "sources/import/fileimport.h"
#include "sources/import/fileimportsource.h"
#include "storage/csvexporter.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QBuffer>
#include <QFileInfo>

namespace ImportFixtures {

inline QString zipFile()
{
    return TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip"));
}
inline QString dayFile()
{
    return TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv"));
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Writes content at dir/relative (folders created) and returns the path.
inline QString write(const QTemporaryDir &dir, const QString &relative, const QByteArray &content)
{
    const QString path = dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(content);
    return path;
}

inline ImportSummary importInto(const QString &db, const QStringList &paths, const ImportFormat::Hints &hints = {}, qint64 flushRows = 0)
{
    const auto writerOwner = MarketStore::attach(db).writer();
    StoreWriter &writer = *writerOwner;
    ImportSummary summary;
    QStringList notes;
    for (const QString &p : FileImportSource::expand(paths, &notes)) {
        FileImport f(p, hints, [&writer](const MarketBatch &b) { writer.commit(b); });
        if (flushRows)
            f.setFlushRows(flushRows);
        f.run();
        summary.add(f.report());
    }
    return summary;
}

inline QByteArray exportCsv(const QString &db, const QString &kind, const Instrument &i, Timeframe tf = Timeframe::M1)
{
    auto r = MarketStore::openExisting(db).reader();
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    CsvExporter(*r).write({kind, i, {1'000'000'000'000, 4'000'000'000'000}, tf}, buf);
    return buf.data();
}

// Everything the store holds for an instrument, every tier: equal dumps = equal stores.
inline QByteArray dumpAll(const QString &db, const Instrument &i)
{
    QByteArray all;
    for (const QString &kind : {QStringLiteral("candles"), QStringLiteral("mark")})
        for (Timeframe tf : Timeframes::all)
            all += exportCsv(db, kind, i, tf);
    for (const QString &kind : {QStringLiteral("funding"), QStringLiteral("predicted_funding"), QStringLiteral("oi"), QStringLiteral("liquidations")})
        all += exportCsv(db, kind, i);
    return all;
}

inline bool hasMessage(const ImportSummary &s, const QString &needle)
{
    for (const QString &m : s.messages())
        if (m.contains(needle))
            return true;
    return false;
}

} // namespace ImportFixtures
