#pragma once

#include <QString>
#include <memory>

class StoreReader;
class StoreWriter;

// The local history database. open() validates the file (ours, not corrupt, not from a newer
// Perpscope) and brings its schema up to date; it never overwrites or adopts a foreign file:
// a file that fails the checks is left byte for byte as it was (the switch to WAL comes after
// them). Connections are per thread: each thread asks for its own writer or reader.
class MarketStore
{
public:
    enum class Access {
        ReadWrite, // may migrate an older schema (and, for open(), create the file)
        ReadOnly,  // never writes, migrates or initialises; works in a read-only folder
    };

    // Throws StoreError with a message naming the file and what is wrong.
    static MarketStore open(const QString &path);
    // Like open() but never creates: the file must already exist.
    static MarketStore openExisting(const QString &path);
    // For commands that only read (export, analyze, heatmap-score): the file must exist and
    // be a Perpscope database of exactly this version; an older one is refused with the
    // command that upgrades it, an empty file is refused rather than initialised.
    static MarketStore openReadOnly(const QString &path);

    const QString &path() const { return m_path; }
    int schemaVersion() const { return m_version; }
    Access access() const { return m_access; }

    std::unique_ptr<StoreWriter> writer() const; // throws StoreError on a read-only store
    std::unique_ptr<StoreReader> reader() const;

    // PRAGMA integrity_check; returns "ok" or the problems found.
    QString integrityCheck() const;

    // Where the GUI keeps its database unless --db says otherwise.
    static QString defaultPath();

private:
    MarketStore(QString path, int version, Access access);
    static MarketStore openImpl(const QString &path, bool mayCreate, Access access);

    QString m_path;
    int m_version = 0;
    Access m_access = Access::ReadWrite;
};
