#pragma once

#include "storelocator.h"

#include <QString>
#include <memory>

class StoreReader;
class StoreWriter;

// The one way into storage: a store is opened from a StoreLocator, and readers and writers
// come from it (store.reader(), store.writer()). Nothing outside storage/ constructs a reader
// or a writer, or sees a file path or a connection.
//
// SQLite (a file path): open() validates the file (ours, not corrupt, not from a newer
// Perpscope) and brings its schema up to date; it never overwrites or adopts a foreign file:
// a file that fails the checks is left byte for byte as it was (the switch to WAL comes after
// them). Connections are per thread: each thread asks for its own writer or reader.
//
// PostgreSQL (a libpq URI): the database must exist; open() makes an empty one a store
// (PgSchema: the same concepts, monthly partitions) and migrates an older one, and refuses a
// foreign or newer one, leaving it alone. Readers and writers each hold a connection.
class MarketStore
{
public:
    enum class Access {
        ReadWrite, // may migrate an older schema (and, for open(), create the file)
        ReadOnly,  // never writes, migrates or initialises; works in a read-only folder
    };

    // Throws StoreError with a message naming the store and what is wrong.
    static MarketStore open(const StoreLocator &locator);
    // Like open() but never creates: the file must already exist.
    static MarketStore openExisting(const StoreLocator &locator);
    // For commands that only read (export, analyze, heatmap-score): the file must exist and
    // be a Perpscope database of exactly this version; an older one is refused with the
    // command that upgrades it, an empty file is refused rather than initialised.
    static MarketStore openReadOnly(const StoreLocator &locator);
    // A store this process has opened (validated, migrated) already, handed to a part that
    // reads or writes it (the GUI's models, the data thread): no checks and no I/O here;
    // readers and writers connect when asked. Throws StoreError for an invalid locator.
    static MarketStore attach(const StoreLocator &locator, Access access = Access::ReadWrite);
    // Whether the locator names something that may hold history (SQLite: the file exists
    // and is not empty), without opening it.
    static bool holdsData(const StoreLocator &locator);

    const StoreLocator &locator() const { return m_locator; }
    // For messages: the file path, or the URI without a password.
    QString name() const { return m_locator.display(); }
    int schemaVersion() const { return m_version; }
    Access access() const { return m_access; }

    std::unique_ptr<StoreWriter> writer() const; // throws StoreError on a read-only store
    std::unique_ptr<StoreReader> reader() const;

    // SQLite: PRAGMA integrity_check; PostgreSQL: the schema version and a query (the server
    // keeps its files consistent). Returns "ok" or the problems found.
    QString integrityCheck() const;

    // Where the GUI keeps its database unless --db says otherwise.
    static StoreLocator defaultLocator();

private:
    MarketStore(StoreLocator locator, int version, Access access);
    static MarketStore openImpl(const StoreLocator &locator, bool mayCreate, Access access);
    static MarketStore openPostgreSql(const StoreLocator &locator, Access access);
    static void checkBackend(const StoreLocator &locator);

    StoreLocator m_locator;
    int m_version = 0;
    Access m_access = Access::ReadWrite;
};
