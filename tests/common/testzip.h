#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

#include <zlib.h>

// Writes single-entry zip archives for tests, in the variants real archives use: deflated or
// stored, sizes in the local header or in a trailing data descriptor (streamed zips), and
// Zip64 size fields. Header-only: each test is its own executable.
namespace TestZip {

struct Options
{
    bool deflate = true;
    bool dataDescriptor = false; // local header sizes zero, sizes after the data
    bool zip64 = false;          // 0xFFFFFFFF sizes + Zip64 extra field in the central directory
    quint64 zip64Compressed = 0; // with zip64: a lying compressed size in the extra field (0 = the true one)
    qsizetype cutDeflate = 0;    // keep only this many bytes of the deflate stream (sizes say so: a cut stream)
};

inline void put16(QByteArray &b, quint32 v)
{
    b.append(char(v & 0xFF)).append(char((v >> 8) & 0xFF));
}
inline void put32(QByteArray &b, quint32 v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}
inline void put64(QByteArray &b, quint64 v)
{
    put32(b, quint32(v));
    put32(b, quint32(v >> 32));
}

inline QByteArray rawDeflate(const QByteArray &data)
{
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(data.size()))), Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(int(z.total_out));
    deflateEnd(&z);
    return out;
}

inline QByteArray make(const QString &entryName, const QByteArray &content, const Options &o = {})
{
    const QByteArray name = entryName.toUtf8();
    const QByteArray body = o.deflate ? (o.cutDeflate > 0 ? rawDeflate(content).left(o.cutDeflate) : rawDeflate(content)) : content;
    const quint32 crc = quint32(crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef *>(content.constData()), uInt(content.size())));
    const quint16 method = o.deflate ? 8 : 0;
    const quint16 flags = o.dataDescriptor ? 0x0008 : 0;
    QByteArray zip;
    put32(zip, 0x04034b50);
    put16(zip, o.zip64 ? 45 : 20);
    put16(zip, flags);
    put16(zip, method);
    put16(zip, 0);
    put16(zip, 0x21);
    put32(zip, o.dataDescriptor ? 0 : crc);
    put32(zip, o.dataDescriptor ? 0 : quint32(body.size()));
    put32(zip, o.dataDescriptor ? 0 : quint32(content.size()));
    put16(zip, quint16(name.size()));
    put16(zip, 0);
    zip += name;
    zip += body;
    if (o.dataDescriptor) {
        put32(zip, 0x08074b50);
        put32(zip, crc);
        put32(zip, quint32(body.size()));
        put32(zip, quint32(content.size()));
    }
    const quint32 cdOffset = quint32(zip.size());
    QByteArray extra;
    if (o.zip64) {
        put16(extra, 0x0001);
        put16(extra, 16);
        put64(extra, quint64(content.size()));
        put64(extra, o.zip64Compressed ? o.zip64Compressed : quint64(body.size()));
    }
    put32(zip, 0x02014b50);
    put16(zip, 0x031e);
    put16(zip, o.zip64 ? 45 : 20);
    put16(zip, flags);
    put16(zip, method);
    put16(zip, 0);
    put16(zip, 0x21);
    put32(zip, crc);
    put32(zip, o.zip64 ? 0xFFFFFFFF : quint32(body.size()));
    put32(zip, o.zip64 ? 0xFFFFFFFF : quint32(content.size()));
    put16(zip, quint16(name.size()));
    put16(zip, quint16(extra.size()));
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, 0);
    put32(zip, 0);
    put32(zip, 0);
    zip += name;
    zip += extra;
    const quint32 cdSize = quint32(zip.size()) - cdOffset;
    put32(zip, 0x06054b50);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, 1);
    put16(zip, 1);
    put32(zip, cdSize);
    put32(zip, cdOffset);
    put16(zip, 0);
    return zip;
}

// The first entry of an archive whose local header carries the sizes (what `zip` writes for
// a regular file), inflated in one go: an independent check on the streaming reader.
inline QByteArray extractFirst(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray zip = f.readAll();
    const auto u16 = [&zip](int p) { return quint32(quint8(zip[p])) | quint32(quint8(zip[p + 1])) << 8; };
    const auto u32 = [&u16](int p) { return u16(p) | u16(p + 2) << 16; };
    const quint32 compressed = u32(18), size = u32(22);
    const int data = 30 + int(u16(26)) + int(u16(28));
    if (u16(8) == 0)
        return zip.mid(data, compressed);
    QByteArray out(int(size), Qt::Uninitialized);
    z_stream z{};
    inflateInit2(&z, -MAX_WBITS);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zip.constData() + data));
    z.avail_in = compressed;
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = size;
    const int rc = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : QByteArray();
}

inline bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace TestZip
