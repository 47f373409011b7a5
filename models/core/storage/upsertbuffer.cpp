#include "upsertbuffer.h"

#include "dbconnection.h"

#include <QList>

#include <charconv>
#include <limits>

namespace {

QByteArray joined(const QList<QByteArray> &names)
{
    QByteArray out;
    for (const QByteArray &n : names)
        out += (out.isEmpty() ? "" : ",") + n;
    return out;
}

// INSERT INTO table(columns) VALUES (?,..),(?,..)... ON CONFLICT(key) DO UPDATE SET v=excluded.v,...
// WHERE <a value differs>.
QByteArray multiRowSql(const SqlDialect &d, const char *table, const QList<QByteArray> &columns, int keyColumns, int rows,
                       std::initializer_list<const char *> values)
{
    QByteArray one = "(";
    for (qsizetype i = 0; i < columns.size(); ++i)
        one += i ? ",?" : "?";
    one += ')';
    QByteArray sql = QByteArray("INSERT INTO ") + table + '(' + joined(columns) + ") VALUES";
    for (int r = 0; r < rows; ++r)
        sql += (r ? "," : "") + one;
    sql += " ON CONFLICT(" + joined(columns.mid(0, keyColumns)) + ") DO UPDATE SET ";
    bool first = true;
    for (const char *v : values) {
        sql += QByteArray(first ? "" : ",") + v + "=excluded." + v;
        first = false;
    }
    return sql + ' ' + d.changedWhere(table, values);
}

template<typename T>
void appendNumber(QByteArray &out, T v)
{
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr - buf); // doubles: shortest exact
}

} // namespace

size_t UpsertBuffer::KeyHash::operator()(const Key &k) const
{
    size_t h = 0;
    for (qint64 v : k)
        h = h * 1'000'003u ^ std::hash<qint64>()(v);
    return h;
}

UpsertBuffer::UpsertBuffer(DbConnection &db, const char *table, std::initializer_list<const char *> columns, int keyColumns, int tsColumn)
    : m_db(db)
    , m_columns(int(columns.size()))
    , m_keyColumns(keyColumns)
    , m_tsColumn(tsColumn)
    , m_copy(db.hasCopy())
{
    Q_ASSERT(keyColumns >= 1 && keyColumns <= 4 && keyColumns < m_columns && tsColumn >= 1 && tsColumn < keyColumns);
    QList<QByteArray> names;
    for (const char *c : columns)
        names << QByteArray(c);
    // SqlDialect takes the value columns as an initializer list: spelled out per width.
    const std::vector<const char *> values(columns.begin() + keyColumns, columns.end());
    const auto withValues = [&](auto make) {
        switch (values.size()) {
        case 1: return make({values[0]});
        case 2: return make({values[0], values[1]});
        case 3: return make({values[0], values[1], values[2]});
        case 4: return make({values[0], values[1], values[2], values[3]});
        case 5: return make({values[0], values[1], values[2], values[3], values[4]});
        case 6: return make({values[0], values[1], values[2], values[3], values[4], values[5]});
        case 7: return make({values[0], values[1], values[2], values[3], values[4], values[5], values[6]});
        }
        Q_ASSERT_X(false, "UpsertBuffer", "at most seven value columns");
        return QByteArray();
    };
    const SqlDialect &d = db.dialect();
    if (m_copy) {
        m_stage = SqlDialect::stageOf(table);
        m_stageDdl = d.stageDdl(table);
        m_copyTarget = m_stage + '(' + joined(names) + ')';
        m_appendTarget = QByteArray(table) + '(' + joined(names) + ')';
        const QByteArray key = joined(names.mid(0, keyColumns));
        m_move = db.prepare(
            withValues([&](std::initializer_list<const char *> v) { return d.upsertFromStage(table, key.constData(), v); }).constData(), true);
        QByteArray newest = "SELECT " + names[tsColumn] + " FROM " + table + " WHERE ";
        for (int k = 0; k < tsColumn; ++k)
            newest += (k ? " AND " : "") + names[k] + "=?";
        newest += " ORDER BY " + names[tsColumn] + " DESC LIMIT 1";
        m_newest = db.prepare(newest.constData(), true);
        // A single row (a live commit's sample, a tier bucket) is one round trip as an upsert,
        // two by the stage.
        m_single =
            db.prepare(withValues([&](std::initializer_list<const char *> v) { return multiRowSql(d, table, names, keyColumns, 1, v); }).constData(),
                       true);
    } else {
        m_group = db.prepare(
            withValues([&](std::initializer_list<const char *> v) { return multiRowSql(d, table, names, keyColumns, groupRows, v); }).constData(),
            true);
        m_single =
            db.prepare(withValues([&](std::initializer_list<const char *> v) { return multiRowSql(d, table, names, keyColumns, 1, v); }).constData(),
                       true);
    }
    m_values.reserve(size_t(m_columns) * groupRows);
}

void UpsertBuffer::add(std::initializer_list<Value> row)
{
    Q_ASSERT(int(row.size()) == m_columns);
    Key key{};
    for (int k = 0; k < m_keyColumns; ++k)
        key[size_t(k)] = row.begin()[k].i;
    if (m_keys.count(key))
        flush(); // one statement cannot touch a row twice: the earlier version goes first
    m_keys.insert(key);
    m_values.insert(m_values.end(), row.begin(), row.end());
    ++m_rows;
    if (m_rows >= size_t(m_copy ? copyGroupRows : groupRows))
        writeGroup();
}

void UpsertBuffer::writeGroup()
{
    if (m_rows == 0)
        return;
    // Taken out first: a failed statement leaves nothing behind for the next transaction.
    const std::vector<Value> values = std::exchange(m_values, {});
    const size_t rows = std::exchange(m_rows, 0);
    m_keys.clear();
    m_values.reserve(values.size());
    const auto run = [&](DbStatement &st, size_t from, size_t count) {
        for (size_t r = 0; r < count; ++r) {
            const Value *v = values.data() + (from + r) * size_t(m_columns);
            for (int c = 0; c < m_columns; ++c) {
                const int p = int(r) * m_columns + c + 1;
                if (v[c].isInt)
                    st.bind(p, v[c].i);
                else
                    st.bind(p, v[c].d);
            }
        }
        st.exec();
        m_changed += m_db.changes();
    };
    if (m_copy && rows > 1) {
        copyGroup(values, rows);
        return;
    }
    size_t r = 0;
    for (; !m_copy && r + groupRows <= rows; r += groupRows)
        run(m_group, r, groupRows);
    for (; r < rows; ++r)
        run(m_single, r, 1);
}

void UpsertBuffer::copyGroup(const std::vector<Value> &values, size_t rows)
{
    // The newest stored ts of each series in the group (a group is mostly one series).
    const int prefix = m_tsColumn;
    std::vector<std::pair<Key, qint64>> newest; // series -> last stored ts (min: none)
    const auto newestOf = [&](const Value *row) {
        Key series{};
        for (int k = 0; k < prefix; ++k)
            series[size_t(k)] = row[k].i;
        for (const auto &n : newest)
            if (n.first == series)
                return n.second;
        for (int k = 0; k < prefix; ++k)
            m_newest.bind(k + 1, series[size_t(k)]);
        const qint64 last = m_newest.step() ? m_newest.int64(0) : std::numeric_limits<qint64>::min();
        m_newest.reset();
        newest.emplace_back(series, last);
        return last;
    };
    QByteArray appended, staged;
    qint64 appendedRows = 0, stagedRows = 0;
    for (size_t r = 0; r < rows; ++r) {
        const Value *row = values.data() + r * size_t(m_columns);
        const bool append = row[m_tsColumn].i > newestOf(row);
        QByteArray &text = append ? appended : staged;
        ++(append ? appendedRows : stagedRows);
        for (int c = 0; c < m_columns; ++c) {
            if (c)
                text += '\t';
            if (row[c].isInt)
                appendNumber(text, row[c].i);
            else
                appendNumber(text, row[c].d);
        }
        text += '\n';
    }
    if (appendedRows > 0)
        m_changed += m_db.copyRows(m_appendTarget, appended); // each one a new row
    if (stagedRows > 0) {
        m_db.ensureStage(m_stage, m_stageDdl);
        m_db.copyRows(m_copyTarget, staged);
        m_move.exec();
        m_changed += m_db.changes();
    }
}

void UpsertBuffer::flush()
{
    writeGroup();
}

void UpsertBuffer::discard()
{
    m_values.clear();
    m_rows = 0;
    m_keys.clear();
}
