#pragma once

#include <QCryptographicHash>
#include <QFile>
#include <QString>
#include <QStringList>
#include <memory>

class ZipEntryDevice;

// What is checked before any row of a file is read, so nothing of a bad file is committed:
// it is a regular file (a FIFO or device would block the read or never end), its sha256
// matches the .CHECKSUM beside it, and a zip entry inflates completely to the size and
// CRC-32 its directory states (rows of a corrupt or cut entry would otherwise be committed
// before the check at the entry's end fails). Works in slices of a few MB.
class FilePrecheck
{
public:
    explicit FilePrecheck(const QString &path);
    ~FilePrecheck();

    // Does a slice of work; true while unfinished. Then ok() or error().
    bool step();
    bool ok() const { return m_done && m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    const QStringList &messages() const { return m_messages; }
    qint64 bytesDone() const { return m_hashed + m_verified; }

    // Bytes an import of this file reads: the file, again for its .CHECKSUM, and again for a zip.
    static qint64 plannedBytes(const QString &path);
    static bool isRegularFile(const QString &path);
    static bool looksLikeZip(const QString &path);

private:
    enum class Stage { Kind, Checksum, Verify, Done };
    bool startChecksum();
    bool hashSome();
    bool verifySome();
    bool fail(const QString &error);
    QString name() const;

    QString m_path;
    Stage m_stage = Stage::Kind;
    bool m_done = false;
    QString m_error;
    QStringList m_messages;
    QFile m_hashFile;
    std::unique_ptr<QCryptographicHash> m_hash;
    QByteArray m_expectedSha;
    qint64 m_hashed = 0;
    std::unique_ptr<ZipEntryDevice> m_verify;
    qint64 m_verified = 0;
};
