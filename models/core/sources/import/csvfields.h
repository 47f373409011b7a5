#pragma once

#include <QByteArrayView>
#include <QVarLengthArray>

#include <cstring>

// The fields of one CSV line as views into it (no copies). The files we read never quote
// (Binance dumps, our own export); a field wrapped in double quotes, as a spreadsheet may
// write it, is unwrapped.
class CsvFields
{
public:
    explicit CsvFields(QByteArrayView line)
    {
        if (line.isEmpty()) { // no memchr on a null view
            m_fields.push_back({});
            return;
        }
        const char *p = line.data();
        const char *end = p + line.size();
        for (;;) {
            const char *comma = static_cast<const char *>(std::memchr(p, ',', size_t(end - p)));
            const char *stop = comma ? comma : end;
            QByteArrayView f(p, stop - p);
            if (f.size() >= 2 && f.front() == '"' && f.back() == '"')
                f = f.sliced(1, f.size() - 2);
            m_fields.push_back(f);
            if (!comma)
                break;
            p = comma + 1;
        }
    }

    qsizetype size() const { return m_fields.size(); }
    QByteArrayView operator[](qsizetype i) const { return m_fields[i]; }

private:
    QVarLengthArray<QByteArrayView, 16> m_fields;
};
