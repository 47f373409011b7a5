#include "candlerowwriter.h"

#include "dbconnection.h"

#include <charconv>

namespace {

QByteArray upsertSql(const SqlDialect &dialect, const char *table, int rows)
{
    QByteArray sql = QByteArray("INSERT INTO ") + table + "(instrument,tf,ts,open,high,low,close,volume,quote_volume,taker_buy) VALUES";
    for (int i = 0; i < rows; ++i)
        sql += i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)";
    sql += " ON CONFLICT(instrument,tf,ts) DO UPDATE SET open=excluded.open,high=excluded.high,low=excluded.low,"
           "close=excluded.close,volume=excluded.volume,quote_volume=excluded.quote_volume,taker_buy=excluded.taker_buy "
           // A row re-sent with the values it holds is left alone: nothing written, nothing
           // counted as changed (a re-import says so), no WAL page dirtied.
        + dialect.changedWhere(table, {"open", "high", "low", "close", "volume", "quote_volume", "taker_buy"});
    return sql;
}

constexpr const char *valueColumns[] = {"open", "high", "low", "close", "volume", "quote_volume", "taker_buy"};

template<typename T>
void appendNumber(QByteArray &out, T v)
{
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr - buf); // doubles: shortest exact
}

} // namespace

CandleRowWriter::CandleRowWriter(DbConnection &db, const char *table)
    : m_db(db)
    , m_table(table)
    , m_copy(db.hasCopy())
    , m_group(db.prepare(upsertSql(db.dialect(), table, groupRows).constData(), true))
    , m_single(db.prepare(upsertSql(db.dialect(), table, 1).constData(), true))
{
    m_buffer.reserve(size_t(groupRows));
    if (m_copy) {
        const SqlDialect &d = db.dialect();
        m_stage = SqlDialect::stageOf(table);
        m_stageDdl = d.stageDdl(table);
        m_move = db.prepare(d.upsertFromStage(table, "instrument,tf,ts", {valueColumns[0], valueColumns[1], valueColumns[2], valueColumns[3],
                                                                          valueColumns[4], valueColumns[5], valueColumns[6]})
                                .constData(),
                            true);
    }
}

void CandleRowWriter::flushCopy()
{
    if (m_copyCount == 0)
        return;
    const QByteArray rows = std::exchange(m_copyRows, {}); // a failure leaves nothing for the next transaction
    m_copyCount = 0;
    m_db.ensureStage(m_stage, m_stageDdl);
    m_db.copyRows(m_stage, rows);
    m_move.exec();
    m_changed += m_db.changes();
}

void CandleRowWriter::flushNew()
{
    if (m_newCount == 0)
        return;
    const QByteArray rows = std::exchange(m_newRows, {});
    m_newCount = 0;
    m_changed += m_db.copyRows(m_table, rows); // each one a new row
}

void CandleRowWriter::appendCopyRow(QByteArray &out, qint64 instrument, Timeframe tf, const Candle &c)
{
    appendNumber(out, instrument);
    out += '\t';
    appendNumber(out, Timeframes::minutes(tf));
    out += '\t';
    appendNumber(out, c.ts);
    for (double v : {c.open, c.high, c.low, c.close, c.volume, c.quoteVolume, c.takerBuyVolume}) {
        out += '\t';
        appendNumber(out, v);
    }
    out += '\n';
}

void CandleRowWriter::addNew(qint64 instrument, Timeframe tf, const Candle &c)
{
    if (!m_copy) {
        add(instrument, tf, c);
        return;
    }
    appendCopyRow(m_newRows, instrument, tf, c);
    if (++m_newCount >= copyGroupRows)
        flushNew();
}

void CandleRowWriter::bindRows(DbStatement &st, int count)
{
    for (int i = 0; i < count; ++i) {
        const Pending &p = m_buffer[size_t(i)];
        const int b = i * 10;
        st.bind(b + 1, p.instrument)
            .bind(b + 2, p.tf)
            .bind(b + 3, p.candle.ts)
            .bind(b + 4, p.candle.open)
            .bind(b + 5, p.candle.high)
            .bind(b + 6, p.candle.low)
            .bind(b + 7, p.candle.close)
            .bind(b + 8, p.candle.volume)
            .bind(b + 9, p.candle.quoteVolume)
            .bind(b + 10, p.candle.takerBuyVolume);
    }
}

void CandleRowWriter::add(qint64 instrument, Timeframe tf, const Candle &c)
{
    if (m_copy) {
        appendCopyRow(m_copyRows, instrument, tf, c);
        if (++m_copyCount >= copyGroupRows)
            flushCopy();
        return;
    }
    m_buffer.push_back({instrument, Timeframes::minutes(tf), c});
    if (int(m_buffer.size()) < groupRows)
        return;
    bindRows(m_group, groupRows);
    m_buffer.clear(); // a failed statement leaves no rows behind for the next transaction
    m_group.exec();
    m_changed += m_db.changes();
}

void CandleRowWriter::flush()
{
    if (m_copy) {
        flushNew();
        flushCopy();
        return;
    }
    if (m_buffer.empty())
        return;
    const std::vector<Pending> rows = std::exchange(m_buffer, {});
    m_buffer.reserve(size_t(groupRows));
    for (const Pending &p : rows) {
        m_single.bind(1, p.instrument)
            .bind(2, p.tf)
            .bind(3, p.candle.ts)
            .bind(4, p.candle.open)
            .bind(5, p.candle.high)
            .bind(6, p.candle.low)
            .bind(7, p.candle.close)
            .bind(8, p.candle.volume)
            .bind(9, p.candle.quoteVolume)
            .bind(10, p.candle.takerBuyVolume);
        m_single.exec();
        m_changed += m_db.changes();
    }
}
