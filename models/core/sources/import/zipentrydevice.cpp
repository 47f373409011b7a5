#include "zipentrydevice.h"

#include <zlib.h>

#include <cstring>

namespace {

constexpr quint32 localSig = 0x04034b50;
constexpr quint32 centralSig = 0x02014b50;
constexpr quint32 eocdSig = 0x06054b50;
constexpr quint32 zip64LocatorSig = 0x07064b50;
constexpr quint32 zip64EocdSig = 0x06064b50;
constexpr qint64 inputChunk = 64 * 1024;

quint16 u16(const char *p)
{
    return quint16(quint8(p[0]) | quint8(p[1]) << 8);
}

quint32 u32(const char *p)
{
    return quint32(u16(p)) | quint32(u16(p + 2)) << 16;
}

quint64 u64(const char *p)
{
    return quint64(u32(p)) | quint64(u32(p + 4)) << 32;
}

} // namespace

ZipEntryDevice::ZipEntryDevice(const QString &zipPath, QObject *parent)
    : QIODevice(parent)
    , m_file(std::make_unique<QFile>(zipPath))
{
}

ZipEntryDevice::ZipEntryDevice(std::unique_ptr<QIODevice> archive, QObject *parent)
    : QIODevice(parent)
    , m_file(std::move(archive))
{
}

ZipEntryDevice::~ZipEntryDevice()
{
    close();
}

bool ZipEntryDevice::fail(const QString &why)
{
    setErrorString(why);
    return false;
}

bool ZipEntryDevice::locateEntry()
{
    const qint64 size = m_file->size();
    if (size < 22)
        return fail(QStringLiteral("not a zip archive (too short)"));
    // The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes.
    const qint64 tailLen = std::min<qint64>(size, 22 + 65535 + 20);
    m_file->seek(size - tailLen);
    const QByteArray tail = m_file->read(tailLen);
    qsizetype eocd = -1;
    for (qsizetype i = tail.size() - 22; i >= 0; --i)
        if (u32(tail.constData() + i) == eocdSig) {
            eocd = i;
            break;
        }
    if (eocd < 0)
        return fail(QStringLiteral("not a zip archive (no end-of-central-directory record; truncated download?)"));
    const char *e = tail.constData() + eocd;
    quint64 entries = u16(e + 10);
    const quint64 cdSize = u32(e + 12);
    quint64 cdOffset = u32(e + 16);
    const quint64 eocdPos = quint64(size - tailLen + eocd);
    if (cdOffset != 0xFFFFFFFF && cdOffset + cdSize > eocdPos)
        return fail(QStringLiteral("not a zip archive, or a corrupt one (its directory would lie outside the file)"));
    if ((entries == 0xFFFF || cdOffset == 0xFFFFFFFF) && eocd >= 20 && u32(e - 20) == zip64LocatorSig) {
        const quint64 z64 = u64(e - 20 + 8);
        if (z64 > quint64(size) - 56)
            return fail(QStringLiteral("corrupt zip archive (its Zip64 end record would lie outside the file)"));
        m_file->seek(qint64(z64));
        const QByteArray rec = m_file->read(56);
        if (rec.size() < 56 || u32(rec.constData()) != zip64EocdSig)
            return fail(QStringLiteral("corrupt zip archive (bad Zip64 end record)"));
        entries = u64(rec.constData() + 32);
        cdOffset = u64(rec.constData() + 48);
    }
    if (cdOffset >= quint64(size))
        return fail(QStringLiteral("corrupt zip archive (its directory would lie outside the file)"));
    if (entries != 1)
        return fail(QStringLiteral("zip archive holds %1 files; a data.binance.vision archive holds exactly one CSV").arg(entries));

    m_file->seek(qint64(cdOffset));
    const QByteArray cd = m_file->read(46);
    if (cd.size() < 46 || u32(cd.constData()) != centralSig)
        return fail(QStringLiteral("corrupt zip archive (bad central directory)"));
    const char *c = cd.constData();
    if (u16(c + 8) & 0x1)
        return fail(QStringLiteral("zip archive is encrypted"));
    m_method = u16(c + 10);
    m_crc = u32(c + 16);
    quint64 compressed = u32(c + 20);
    quint64 uncompressed = u32(c + 24);
    const int nameLen = u16(c + 28);
    const int extraLen = u16(c + 30);
    quint64 localOffset = u32(c + 42);
    const QByteArray nameAndExtra = m_file->read(nameLen + extraLen);
    if (nameAndExtra.size() < nameLen + extraLen)
        return fail(QStringLiteral("corrupt zip archive (truncated central directory)"));
    m_entryName = QString::fromUtf8(nameAndExtra.left(nameLen));
    // Zip64 extended information: only the fields saturated in the fixed header are present.
    for (int p = nameLen; p + 4 <= nameAndExtra.size();) {
        const char *x = nameAndExtra.constData() + p;
        const int id = u16(x), len = u16(x + 2);
        if (id == 0x0001) {
            int q = 4;
            if (uncompressed == 0xFFFFFFFF && q + 8 <= 4 + len)
                uncompressed = u64(x + q), q += 8;
            if (compressed == 0xFFFFFFFF && q + 8 <= 4 + len)
                compressed = u64(x + q), q += 8;
            if (localOffset == 0xFFFFFFFF && q + 8 <= 4 + len)
                localOffset = u64(x + q);
        }
        p += 4 + len;
    }
    if (m_method != 0 && m_method != 8)
        return fail(QStringLiteral("zip entry %1 uses compression method %2 (only stored and deflate are supported)").arg(m_entryName).arg(m_method));

    if (localOffset >= quint64(size))
        return fail(QStringLiteral("corrupt zip archive (its entry would start beyond the end of the file)"));
    m_file->seek(qint64(localOffset));
    const QByteArray local = m_file->read(30);
    if (local.size() < 30 || u32(local.constData()) != localSig)
        return fail(QStringLiteral("corrupt zip archive (bad local header)"));
    // Every size is checked in unsigned arithmetic against the file before it becomes a
    // signed count: a Zip64 size of 2^64-1 must not wrap to -1 (that once made the reader
    // spin for ever waiting for input it would never ask for).
    const quint64 dataOffset = localOffset + 30 + u16(local.constData() + 26) + u16(local.constData() + 28);
    if (dataOffset > quint64(size) || compressed > quint64(size) - dataOffset)
        return fail(QStringLiteral("zip archive is truncated or corrupt (its entry claims %1 compressed bytes; the file has %2 bytes)")
                        .arg(compressed)
                        .arg(size));
    // Deflate expands at most about 1032:1; anything claiming more is not a real archive.
    constexpr quint64 maxRatio = 1100;
    if (uncompressed > std::max<quint64>(compressed, 1) * maxRatio)
        return fail(QStringLiteral("corrupt zip archive (entry %1 claims %2 bytes from %3 compressed bytes)")
                        .arg(m_entryName)
                        .arg(uncompressed)
                        .arg(compressed));
    if (m_method == 0 && compressed != uncompressed)
        return fail(QStringLiteral("corrupt zip archive (stored entry %1 has different compressed and uncompressed sizes)").arg(m_entryName));
    m_dataOffset = qint64(dataOffset);
    m_compressed = qint64(compressed);
    m_size = qint64(uncompressed);
    return true;
}

bool ZipEntryDevice::open(OpenMode mode)
{
    if (mode != ReadOnly)
        return fail(QStringLiteral("zip archives are read-only"));
    if (!m_file->isOpen() && !m_file->open(QIODevice::ReadOnly))
        return fail(m_file->errorString());
    if (m_file->isSequential())
        return fail(QStringLiteral("a zip archive must be a regular file (its directory sits at the end)"));
    if (!locateEntry()) {
        m_file->close();
        return false;
    }
    m_file->seek(m_dataOffset);
    m_inLeft = m_compressed;
    m_produced = 0;
    m_runningCrc = crc32(0, nullptr, 0);
    m_done = false;
    m_failed = false;
    m_z = std::make_unique<z_stream_s>();
    std::memset(m_z.get(), 0, sizeof(z_stream_s));
    if (m_method == 8 && inflateInit2(m_z.get(), -MAX_WBITS) != Z_OK) {
        m_file->close();
        return fail(QStringLiteral("zlib could not start inflating"));
    }
    return QIODevice::open(mode | Unbuffered);
}

void ZipEntryDevice::close()
{
    if (m_z && m_method == 8)
        inflateEnd(m_z.get());
    m_z.reset();
    m_file->close();
    if (isOpen())
        QIODevice::close();
}

bool ZipEntryDevice::atEnd() const
{
    return m_done && QIODevice::atEnd();
}

bool ZipEntryDevice::error(const QString &why)
{
    m_done = true;
    m_failed = true;
    setErrorString(why);
    return false;
}

bool ZipEntryDevice::checkEnd()
{
    m_done = true;
    if (m_produced != m_size)
        return error(QStringLiteral("zip entry %1 is %2 bytes, expected %3 (corrupt archive)").arg(m_entryName).arg(m_produced).arg(m_size));
    if (m_runningCrc != m_crc)
        return error(QStringLiteral("zip entry %1 fails its CRC-32 check (corrupt archive)").arg(m_entryName));
    return true;
}

qint64 ZipEntryDevice::readData(char *data, qint64 maxSize)
{
    if (m_done)
        return -1;
    if (maxSize <= 0)
        return 0;
    qint64 out = 0;
    bool ended = false;
    if (m_method == 0) {
        const qint64 n = m_inLeft > 0 ? m_file->read(data, std::min(maxSize, m_inLeft)) : 0;
        if (n < 0 || (n == 0 && m_inLeft > 0))
            return error(QStringLiteral("zip archive is truncated")), -1;
        m_inLeft -= n;
        out = n;
        ended = m_inLeft == 0;
    } else {
        m_z->next_out = reinterpret_cast<Bytef *>(data);
        m_z->avail_out = uInt(std::min<qint64>(maxSize, 1 << 30));
        while (m_z->avail_out > 0) {
            if (m_z->avail_in == 0 && m_inLeft > 0) {
                m_in.resize(std::min(inputChunk, m_inLeft));
                const qint64 n = m_file->read(m_in.data(), m_in.size());
                if (n <= 0)
                    return error(QStringLiteral("zip archive is truncated")), -1;
                m_inLeft -= n;
                m_z->next_in = reinterpret_cast<Bytef *>(m_in.data());
                m_z->avail_in = uInt(n);
            }
            const int rc = inflate(m_z.get(), Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                ended = true;
                break;
            }
            // No input left and zlib wants more: the stream is cut. (m_inLeft never goes
            // below zero: sizes are checked against the file in locateEntry.)
            if (rc == Z_BUF_ERROR && m_z->avail_in == 0 && m_inLeft <= 0)
                return error(QStringLiteral("zip entry %1 ends early (truncated archive)").arg(m_entryName)), -1;
            if (m_produced + qint64(reinterpret_cast<char *>(m_z->next_out) - data) > m_size)
                return error(QStringLiteral("zip entry %1 inflates to more than the %2 bytes its directory says (corrupt archive)")
                                 .arg(m_entryName)
                                 .arg(m_size)),
                       -1;
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                return error(QStringLiteral("zip entry %1 is corrupt (%2)")
                                 .arg(m_entryName, QString::fromLatin1(m_z->msg ? m_z->msg : "inflate error"))),
                       -1;
        }
        out = qint64(reinterpret_cast<char *>(m_z->next_out) - data);
    }
    if (out > 0) {
        m_runningCrc = crc32(m_runningCrc, reinterpret_cast<const Bytef *>(data), uInt(out));
        m_produced += out;
    }
    if (ended && !checkEnd())
        return -1;
    return out == 0 && ended ? -1 : out;
}

