#include "coveragewriter.h"

#include "domain/timeformat.h"
#include "dbconnection.h"

#include <QStringList>

namespace {

// The rows a new span joins: same key, overlapping or touching [from, to].
constexpr const char *matching = " WHERE instrument=? AND kind=? AND quality=? AND resolution_ms=? AND from_ms<=? AND to_ms>=?";
constexpr int maxOrigins = 4;

QByteArray sql(const char *head)
{
    return QByteArray(head) + matching;
}

DbStatement &bindKey(DbStatement &st, qint64 instrument, const CoverageSpan &s)
{
    return st.bind(1, instrument)
        .bind(2, int(s.kind))
        .bind(3, int(s.quality))
        .bind(4, s.resolutionMs)
        .bind(5, s.range.to)
        .bind(6, s.range.from);
}

} // namespace

CoverageWriter::CoverageWriter(DbConnection &db)
    : m_select(db.prepare(sql("SELECT from_ms,to_ms,origin FROM coverage").constData(), true))
    , m_delete(db.prepare(sql("DELETE FROM coverage").constData(), true))
    , m_insert(db.prepare("INSERT INTO coverage(instrument,kind,quality,resolution_ms,from_ms,to_ms,origin) VALUES(?,?,?,?,?,?,?) "
                          "ON CONFLICT(instrument,kind,quality,resolution_ms,from_ms) DO UPDATE SET to_ms="
                              + db.dialect().greatest("coverage.to_ms", "excluded.to_ms") + ",origin=excluded.origin",
                          true))
{
}

QString CoverageWriter::check(const CoverageSpan &s)
{
    if (!s.range.isValid())
        return QStringLiteral("a coverage span of %1 is empty (%2 .. %3)")
            .arg(DataKinds::name(s.kind), TimeFormat::iso(s.range.from), TimeFormat::iso(s.range.to));
    if (s.resolutionMs < 0)
        return QStringLiteral("a coverage span of %1 has a negative resolution").arg(DataKinds::name(s.kind));
    if (s.quality != CoverageQuality::Complete && s.quality != CoverageQuality::Sampled)
        return QStringLiteral("a coverage span of %1 has an unknown quality").arg(DataKinds::name(s.kind));
    if (DataKinds::name(s.kind).isEmpty())
        return QStringLiteral("a coverage span names an unknown data kind");
    return {};
}

void CoverageWriter::add(qint64 instrument, const CoverageSpan &span)
{
    qint64 from = span.range.from, to = span.range.to;
    QStringList origins;
    bindKey(m_select, instrument, span);
    while (m_select.step()) {
        from = std::min(from, m_select.int64(0));
        to = std::max(to, m_select.int64(1));
        for (const QString &o : m_select.text(2).split(QLatin1Char('+'), Qt::SkipEmptyParts))
            if (!origins.contains(o))
                origins << o;
    }
    m_select.reset();
    bindKey(m_delete, instrument, span).exec();
    if (!span.origin.isEmpty() && !origins.contains(span.origin))
        origins << span.origin;
    while (origins.size() > maxOrigins)
        origins.removeFirst(); // the newest sources say most about where the span came from
    m_insert.bind(1, instrument)
        .bind(2, int(span.kind))
        .bind(3, int(span.quality))
        .bind(4, span.resolutionMs)
        .bind(5, from)
        .bind(6, to)
        .bind(7, origins.join(QLatin1Char('+')))
        .exec();
}
