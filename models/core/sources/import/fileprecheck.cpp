#include "fileprecheck.h"

#include "zipentrydevice.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace {
constexpr qint64 slice = 8 * 1024 * 1024;
}

FilePrecheck::FilePrecheck(const QString &path)
    : m_path(path)
{
}

FilePrecheck::~FilePrecheck() = default;

QString FilePrecheck::name() const
{
    return QFileInfo(m_path).fileName();
}

bool FilePrecheck::isRegularFile(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() && info.isFile(); // false for FIFOs, devices and sockets
}

bool FilePrecheck::looksLikeZip(const QString &path)
{
    if (!isRegularFile(path))
        return false;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray magic = f.read(4);
    return magic == QByteArray("PK\x03\x04", 4) || magic == QByteArray("PK\x05\x06", 4);
}

qint64 FilePrecheck::plannedBytes(const QString &path)
{
    if (!isRegularFile(path))
        return 0;
    const qint64 size = QFileInfo(path).size();
    return size * (1 + (QFileInfo::exists(path + QStringLiteral(".CHECKSUM")) ? 1 : 0) + (looksLikeZip(path) ? 1 : 0));
}

bool FilePrecheck::fail(const QString &error)
{
    m_error = error;
    m_done = true;
    m_stage = Stage::Done;
    m_hash.reset();
    m_hashFile.close();
    m_verify.reset();
    return false;
}

bool FilePrecheck::step()
{
    switch (m_stage) {
    case Stage::Kind: {
        const QFileInfo info(m_path);
        if (!isRegularFile(m_path))
            return fail(!info.exists() ? QStringLiteral("no such file")
                        : info.isDir() ? QStringLiteral("is a folder")
                                       : QStringLiteral("not a regular file (a FIFO, device or socket); nothing imported"));
        m_stage = Stage::Checksum;
        return true;
    }
    case Stage::Checksum:
        if (!m_hash && !startChecksum())
            return !m_done;
        if (!hashSome())
            return !m_done;
        return true;
    case Stage::Verify:
        if (!verifySome())
            return !m_done;
        return true;
    case Stage::Done: return false;
    }
    return false;
}

// Returns false when there is nothing to hash (the stage moves on) or on an error.
bool FilePrecheck::startChecksum()
{
    const QString sumPath = m_path + QStringLiteral(".CHECKSUM");
    QFile sum(sumPath);
    if (!sum.exists()) {
        m_stage = Stage::Verify;
        return false;
    }
    const QString sumName = QFileInfo(sumPath).fileName();
    if (!sum.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1 (%2); nothing imported").arg(sumName, sum.errorString()));
    static const QRegularExpression line(QStringLiteral(R"(^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$)"));
    const auto m = line.match(QString::fromUtf8(sum.read(4096)).section(QLatin1Char('\n'), 0, 0));
    if (!m.hasMatch())
        return fail(QStringLiteral("%1 does not hold a sha256 checksum line (\"<64 hex digits>  <file name>\"); nothing imported").arg(sumName));
    m_expectedSha = m.captured(1).toLower().toLatin1();
    if (m.captured(2) != name())
        m_messages << QStringLiteral("%1: %2 names '%3'; checked against this file anyway").arg(name(), sumName, m.captured(2));
    m_hashFile.setFileName(m_path);
    if (!m_hashFile.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the file (%1)").arg(m_hashFile.errorString()));
    m_hash = std::make_unique<QCryptographicHash>(QCryptographicHash::Sha256);
    return true;
}

bool FilePrecheck::hashSome()
{
    QByteArray buf(1 << 20, Qt::Uninitialized);
    for (qint64 done = 0; done < slice;) {
        const qint64 n = m_hashFile.read(buf.data(), buf.size());
        if (n < 0)
            return fail(QStringLiteral("cannot read the file (%1)").arg(m_hashFile.errorString()));
        if (n == 0) {
            const QByteArray actual = m_hash->result().toHex();
            m_hash.reset();
            m_hashFile.close();
            if (actual != m_expectedSha)
                return fail(QStringLiteral("sha256 %1 does not match %2.CHECKSUM (%3): the download is corrupt or Binance re-published "
                                           "the file; download both again. Nothing was imported")
                                .arg(QString::fromLatin1(actual.left(16)) + QStringLiteral("..."), name(),
                                     QString::fromLatin1(m_expectedSha.left(16)) + QStringLiteral("...")));
            m_messages << QStringLiteral("%1: sha256 matches %1.CHECKSUM").arg(name());
            m_stage = Stage::Verify;
            return false;
        }
        m_hash->addData(QByteArrayView(buf.constData(), n));
        m_hashed += n;
        done += n;
    }
    return true;
}

// Returns false when done (then m_done, with or without an error).
bool FilePrecheck::verifySome()
{
    if (!m_verify) {
        if (!looksLikeZip(m_path)) {
            m_done = true;
            m_stage = Stage::Done;
            return false;
        }
        m_verify = std::make_unique<ZipEntryDevice>(m_path);
        if (!m_verify->open(QIODevice::ReadOnly))
            return fail(m_verify->errorString());
    }
    QByteArray buf(1 << 20, Qt::Uninitialized);
    const qint64 before = m_verify->archivePosition();
    while (m_verify->archivePosition() - before < slice) {
        if (m_verify->read(buf.data(), buf.size()) > 0)
            continue;
        if (!m_verify->verified())
            return fail(QStringLiteral("%1; nothing was imported from it")
                            .arg(m_verify->errorString().isEmpty() ? QStringLiteral("the zip entry could not be read to its end")
                                                                   : m_verify->errorString()));
        m_verified = m_verify->archiveSize();
        m_verify.reset();
        m_done = true;
        m_stage = Stage::Done;
        return false;
    }
    m_verified = m_verify->archivePosition();
    return true;
}
