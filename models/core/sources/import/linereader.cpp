#include "linereader.h"

#include <QIODevice>

#include <cstring>

namespace {
constexpr qsizetype chunk = 256 * 1024;
}

LineReader::LineReader(QIODevice &device, qsizetype maxLineLength)
    : m_device(device)
    , m_maxLine(maxLineLength)
{
    m_buf.resize(chunk);
}

bool LineReader::fill()
{
    if (m_eof)
        return false;
    if (m_pos > 0) {
        std::memmove(m_buf.data(), m_buf.constData() + m_pos, size_t(m_end - m_pos));
        m_end -= m_pos;
        m_pos = 0;
    }
    if (m_end == m_buf.size()) {
        if (m_buf.size() >= m_maxLine + 2) {
            m_error = QStringLiteral("line %1 is longer than %2 bytes (not a CSV text file?)").arg(m_line + 1).arg(m_maxLine);
            return false;
        }
        m_buf.resize(std::min(m_buf.size() * 2, m_maxLine + 2));
    }
    const qint64 n = m_device.read(m_buf.data() + m_end, m_buf.size() - m_end);
    if (n < 0) {
        m_eof = true;
        // A sequential device reports the end with -1 too; only a real failure sets a reason.
        const QString why = m_device.errorString();
        if (!why.isEmpty() && why != QLatin1String("Unknown error"))
            m_error = why;
        return false;
    }
    if (n == 0) {
        m_eof = true;
        return false;
    }
    m_end += n;
    return true;
}

bool LineReader::next(QByteArrayView *line)
{
    if (!m_error.isEmpty())
        return false;
    for (;;) {
        const char *begin = m_buf.constData() + m_pos;
        const void *nl = std::memchr(begin, '\n', size_t(m_end - m_pos));
        if (nl || (m_eof && m_end > m_pos)) {
            const char *stop = nl ? static_cast<const char *>(nl) : m_buf.constData() + m_end;
            qsizetype len = stop - begin;
            m_pos += len + (nl ? 1 : 0);
            if (len > 0 && begin[len - 1] == '\r')
                --len;
            ++m_line;
            if (m_line == 1 && len >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) {
                begin += 3;
                len -= 3;
            }
            *line = QByteArrayView(begin, len);
            return true;
        }
        if (!fill())
            return m_eof && m_end > m_pos && m_error.isEmpty() ? next(line) : false;
    }
}
