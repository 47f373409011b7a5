#pragma once

#include <QString>
#include <memory>

class StoreReader;
class StoreWriter;

// The local history database. open() validates the file (ours, not corrupt, not from a newer
// Perpscope) and brings its schema up to date; it never overwrites or adopts a foreign file.
// Connections are per thread: each thread asks for its own writer or reader.
class MarketStore
{
public:
    // Throws StoreError with a message naming the file and what is wrong.
    static MarketStore open(const QString &path);
    // Like open() but never creates: the file must already exist.
    static MarketStore openExisting(const QString &path);

    const QString &path() const { return m_path; }
    int schemaVersion() const { return m_version; }

    std::unique_ptr<StoreWriter> writer() const;
    std::unique_ptr<StoreReader> reader() const;

    // PRAGMA integrity_check; returns "ok" or the problems found.
    QString integrityCheck() const;

    // Where the GUI keeps its database unless --db says otherwise.
    static QString defaultPath();

private:
    MarketStore(QString path, int version);
    static MarketStore openImpl(const QString &path, bool mayCreate);

    QString m_path;
    int m_version = 0;
};
