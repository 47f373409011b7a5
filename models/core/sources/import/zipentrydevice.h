#pragma once

#include <QFile>
#include <QIODevice>
#include <memory>

struct z_stream_s;

// Reads the one file inside a zip archive (data.binance.vision ships one CSV per zip) as a
// sequential device, inflating with zlib as it goes: memory stays at two small buffers
// whatever the archive size. Handles stored and deflated entries, data descriptors and
// Zip64 sizes; the entry's CRC-32 and size are checked when the end is reached, so a
// truncated or corrupt archive is an error, never silently short data.
class ZipEntryDevice : public QIODevice
{
    Q_OBJECT
public:
    explicit ZipEntryDevice(const QString &zipPath, QObject *parent = nullptr);
    // Reads the archive from any random-access device (a QBuffer in the fuzz targets); takes
    // ownership.
    explicit ZipEntryDevice(std::unique_ptr<QIODevice> archive, QObject *parent = nullptr);
    ~ZipEntryDevice() override;

    // Opens read-only; on failure errorString() says what is wrong with the archive.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return true; }
    bool atEnd() const override;

    // True once a read failed (corrupt or truncated archive); errorString() says why.
    bool failed() const { return m_failed; }
    QString entryName() const { return m_entryName; }
    qint64 uncompressedSize() const { return m_size; }
    // Bytes of the archive consumed so far (for progress against the file size).
    qint64 archivePosition() const { return m_file->pos(); }
    qint64 archiveSize() const { return m_file->size(); }
    // True once the whole entry was read and its size and CRC-32 matched.
    bool verified() const { return m_done && !m_failed; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    bool locateEntry();
    bool fail(const QString &why);
    bool error(const QString &why);
    bool checkEnd();

    std::unique_ptr<QIODevice> m_file; // the archive
    QString m_entryName;
    int m_method = 0;
    quint32 m_crc = 0;
    qint64 m_compressed = 0;
    qint64 m_size = 0;
    qint64 m_dataOffset = 0;

    std::unique_ptr<z_stream_s> m_z;
    QByteArray m_in;
    qint64 m_inLeft = 0;  // compressed bytes not yet read from the file
    qint64 m_produced = 0;
    quint32 m_runningCrc = 0;
    bool m_done = false;
    bool m_failed = false;
};
