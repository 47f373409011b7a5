#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

class QIODevice;

// Splits a device into lines through one reused buffer, so memory stays flat whatever the
// file size. Accepts "\n" and "\r\n", a missing final newline and a UTF-8 byte-order mark.
// A NUL byte or a line longer than maxLineLength stops the reader with an error: that is a
// binary file, not CSV text, and going on would only produce one error per "line".
class LineReader
{
public:
    explicit LineReader(QIODevice &device, qsizetype maxLineLength = 1 << 20);

    // The next line without its terminator; valid until the next call. False at the end of
    // the data or on an error (then error() is not empty).
    bool next(QByteArrayView *line);
    qint64 lineNumber() const { return m_line; } // of the line last returned, 1-based
    const QString &error() const { return m_error; }

private:
    bool fill();

    QIODevice &m_device;
    qsizetype m_maxLine;
    QByteArray m_buf;
    qsizetype m_pos = 0;
    qsizetype m_end = 0;
    qint64 m_line = 0;
    bool m_eof = false;
    QString m_error;
};
