using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>Run logbooks in a SQLite file: the <c>taskflow_runs</c> and <c>taskflow_atoms</c> tables, rows keyed by ServiceId.</summary>
/// <remarks>
/// <para>SQLite has one writer at a time, so the store keeps one long-lived write connection (WAL mode,
/// <c>synchronous = FULL</c>: every commit is flushed to disk) with its statements prepared once, and runs one batch at a
/// time on it, as one <c>BEGIN IMMEDIATE</c> transaction. Reads use pooled connections of their own, which WAL lets run
/// beside the writer; each read is one snapshot.</para>
/// <para>Timestamps are kept to the microsecond, as on PostgreSQL. Every database fault leaves as a
/// <see cref="FlowStorageException"/> that names the file; the original is logged. After a failed batch the write
/// connection is reopened for the next one.</para>
/// </remarks>
internal sealed partial class SqliteLogbookStore : ILogbookStore, IDisposable
{
    private const string Folder = "Logbook";

    private readonly string _fullPath;
    private readonly string _serviceId;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly ILogger<SqliteLogbookStore> _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Writer? _writer;
    private bool _disposed;

    /// <summary>Creates the store; it opens the file on first use.</summary>
    /// <param name="databasePath">The database file; the schema must have been applied to it.</param>
    /// <param name="serviceId">The ServiceId rows are keyed by.</param>
    /// <param name="logger">The logger.</param>
    public SqliteLogbookStore(string databasePath, string serviceId, ILogger<SqliteLogbookStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(serviceId);
        _fullPath = Path.GetFullPath(databasePath);
        _serviceId = serviceId;
        _readConnectionString = SqliteSchema.ConnectionString(_fullPath);
        _writeConnectionString = new SqliteConnectionStringBuilder(_readConnectionString) { Pooling = false }.ToString();
        _logger = logger;
    }

    /// <summary>The ServiceId rows are keyed by.</summary>
    public string ServiceId => _serviceId;

    /// <inheritdoc />
    public async Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        LogbookColumns.Validate(batch);
        var statuses = new LogbookWriteStatus[batch.Count];
        if (batch.Count == 0)
        {
            return statuses;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var writer = _writer ??= Writer.Open(_writeConnectionString);
                using var transaction = writer.Connection.BeginTransaction(deferred: false);
                writer.Enlist(transaction);
                for (var i = 0; i < batch.Count; i++)
                {
                    statuses[i] = writer.Write(_serviceId, batch[i]);
                }

                transaction.Commit();
                return statuses;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The transaction rolled back when it was disposed; start the next batch on a fresh connection.
                _writer?.Dispose();
                _writer = null;
                LogWriteFailed(exception, batch.Count, _fullPath);
                throw new FlowStorageException(
                    $"Could not write the logbooks of {batch.Count} run(s) to the SQLite database '{_fullPath}': {Describe(exception)}. " +
                    $"Nothing of this transaction was stored. {Fix(exception)} Runs resume from what is durable once the file can be written.");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction(deferred: true);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Statements.ReadRun;
            command.Parameters.AddWithValue("@service_id", _serviceId);
            command.Parameters.AddWithValue("@run_id", runId);
            long version;
            byte[] header;
            RunRow run;
            using (var reader = command.ExecuteReader())
            {
                if (!reader.Read())
                {
                    reader.Close();
                    using var legacy = connection.CreateCommand();
                    legacy.Transaction = transaction;
                    legacy.CommandText = LogbookColumns.LegacyRunQuery;
                    legacy.Parameters.AddWithValue("@service_id", _serviceId);
                    legacy.Parameters.AddWithValue("@run_id", runId);
                    return legacy.ExecuteScalar() is null ? Task.FromResult<StoredLogbook?>(null) : throw LogbookColumns.LegacyRun(runId);
                }

                version = reader.GetInt64(0);
                header = reader.GetFieldValue<byte[]>(1);
                run = ReadRunRow(reader, reader.GetFieldValue<byte[]>(12));
            }

            command.CommandText = Statements.ReadAtoms;
            var atoms = new List<AtomRow>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    atoms.Add(new AtomRow(reader.GetInt32(0), (AtomState)reader.GetInt32(1), reader.GetFieldValue<byte[]>(2)));
                }
            }

            transaction.Commit();
            return Task.FromResult<StoredLogbook?>(new StoredLogbook { RunId = runId, Version = version, Header = header, Run = run, Atoms = atoms });
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not FlowStorageException)
        {
            LogReadFailed(exception, runId, _fullPath);
            throw new FlowStorageException(
                $"Could not read the logbook of run '{runId}' from the SQLite database '{_fullPath}': {Describe(exception)}. " +
                $"{Fix(exception)} The run resumes from what is durable once the file can be read.");
        }
    }

    /// <summary>Closes the write connection once the batch in flight, if any, has finished.</summary>
    public void Dispose()
    {
        _writeLock.Wait();
        try
        {
            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A run row's index columns, at ordinals 2 to 11 in both the read and the run-index statements.</summary>
    private static RunRow ReadRunRow(SqliteDataReader reader, byte[] payload) => new()
    {
        FlowName = reader.GetString(2),
        FactoryName = reader.IsDBNull(3) ? null : reader.GetString(3),
        State = (FlowState)reader.GetInt32(4),
        CreatedAt = LogbookColumns.FromUnixMicroseconds(reader.GetInt64(5)),
        UpdatedAt = LogbookColumns.FromUnixMicroseconds(reader.GetInt64(6)),
        FinishedAt = reader.IsDBNull(7) ? null : LogbookColumns.FromUnixMicroseconds(reader.GetInt64(7)),
        Silo = reader.IsDBNull(8) ? null : reader.GetString(8),
        FailureSummary = reader.IsDBNull(9) ? null : reader.GetString(9),
        Tags = LogbookColumns.DecodeTags(reader.GetString(10)),
        AtomCounts = LogbookColumns.ParseCommaSeparated(reader.GetString(11)),
        Payload = payload,
    };

    private static string Describe(Exception exception) => exception is SqliteException s
        ? $"SQLite error {s.SqliteErrorCode}: {s.Message}"
        : $"{exception.GetType().Name}: {exception.Message}";

    private static string Fix(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 1 } s when s.Message.Contains("no such", StringComparison.OrdinalIgnoreCase) =>
            "TaskFlow's logbook tables are missing or outdated: apply the schema (TaskFlowSchema.ApplySqliteAsync, or let the silo " +
            "apply it at start with TaskFlowSqliteOptions.ApplySchemaOnStart).",
        SqliteException s => SqliteDatabase.Fix(s),
        _ => "Check the file and its directory.",
    };

    /// <summary>The statements, read once from <c>Sql/Sqlite/Logbook/</c>.</summary>
    private static class Statements
    {
        public static readonly string SelectRunVersion = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "SelectRunVersion");
        public static readonly string InsertRun = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "InsertRun");
        public static readonly string UpdateRun = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "UpdateRun");
        public static readonly string UpsertAtom = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "UpsertAtom");
        public static readonly string ReadRun = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "ReadRun");
        public static readonly string ReadAtoms = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "ReadAtoms");
        public static readonly string CountByState = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "CountByState");
    }

    /// <summary>The write connection and its prepared statements; used by one batch at a time.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteCommand _selectVersion;
        private readonly SqliteCommand _insertRun;
        private readonly SqliteCommand _updateRun;
        private readonly SqliteCommand _upsertAtom;

        private Writer(SqliteConnection connection)
        {
            Connection = connection;
            _selectVersion = Command(connection, Statements.SelectRunVersion, ("@service_id", SqliteType.Text), ("@run_id", SqliteType.Text));
            (string, SqliteType)[] run =
            [
                ("@service_id", SqliteType.Text), ("@run_id", SqliteType.Text), ("@version", SqliteType.Integer), ("@write_id", SqliteType.Blob),
                ("@flow_name", SqliteType.Text), ("@factory_name", SqliteType.Text), ("@state", SqliteType.Integer),
                ("@created_at", SqliteType.Integer), ("@updated_at", SqliteType.Integer), ("@finished_at", SqliteType.Integer),
                ("@silo", SqliteType.Text), ("@failure_summary", SqliteType.Text), ("@tags", SqliteType.Text),
                ("@atom_counts", SqliteType.Text), ("@payload", SqliteType.Blob),
            ];
            _insertRun = Command(connection, Statements.InsertRun, [.. run, ("@header", SqliteType.Blob)]);
            _updateRun = Command(connection, Statements.UpdateRun, [.. run, ("@expected", SqliteType.Integer)]);
            _upsertAtom = Command(connection, Statements.UpsertAtom,
                ("@service_id", SqliteType.Text), ("@run_id", SqliteType.Text), ("@atom_id", SqliteType.Integer),
                ("@state", SqliteType.Integer), ("@payload", SqliteType.Blob));
        }

        public SqliteConnection Connection { get; }

        /// <summary>Opens the write connection in WAL mode with full syncs and prepares the statements.</summary>
        public static Writer Open(string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using (var pragma = connection.CreateCommand())
                {
                    // WAL is a property of the file (the silo sets it at start); synchronous is per connection. FULL flushes the
                    // log at every commit, so a committed batch survives a power loss, not only a crash of the process.
                    pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                    pragma.ExecuteNonQuery();
                }

                return new Writer(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Enlist(SqliteTransaction transaction)
        {
            _selectVersion.Transaction = transaction;
            _insertRun.Transaction = transaction;
            _updateRun.Transaction = transaction;
            _upsertAtom.Transaction = transaction;
        }

        /// <summary>Checks one write against the stored run and stores it when it is at the expected version.</summary>
        public LogbookWriteStatus Write(string serviceId, LogbookWrite write)
        {
            _selectVersion.Parameters[0].Value = serviceId;
            _selectVersion.Parameters[1].Value = write.RunId;
            long current = 0;
            var lastWriteId = Guid.Empty;
            using (var reader = _selectVersion.ExecuteReader())
            {
                if (reader.Read())
                {
                    current = reader.GetInt64(0);
                    lastWriteId = new Guid(reader.GetFieldValue<byte[]>(1));
                }
            }

            if (current != 0 && current == write.NewVersion && lastWriteId == write.WriteId)
            {
                return LogbookWriteStatus.Committed; // a retry of a write that already committed
            }

            if (current != write.ExpectedVersion || (current == 0 && write.Header is null))
            {
                return LogbookWriteStatus.Conflict;
            }

            var command = current == 0 ? _insertRun : _updateRun;
            var run = write.Run;
            var p = command.Parameters;
            p["@service_id"].Value = serviceId;
            p["@run_id"].Value = write.RunId;
            p["@version"].Value = write.NewVersion;
            p["@write_id"].Value = write.WriteId.ToByteArray();
            p["@flow_name"].Value = run.FlowName;
            p["@factory_name"].Value = (object?)run.FactoryName ?? DBNull.Value;
            p["@state"].Value = (int)run.State;
            p["@created_at"].Value = LogbookColumns.ToUnixMicroseconds(run.CreatedAt);
            p["@updated_at"].Value = LogbookColumns.ToUnixMicroseconds(run.UpdatedAt);
            p["@finished_at"].Value = run.FinishedAt is { } finished ? LogbookColumns.ToUnixMicroseconds(finished) : DBNull.Value;
            p["@silo"].Value = (object?)run.Silo ?? DBNull.Value;
            p["@failure_summary"].Value = (object?)run.FailureSummary ?? DBNull.Value;
            p["@tags"].Value = LogbookColumns.EncodeTags(run.Tags);
            p["@atom_counts"].Value = LogbookColumns.CommaSeparated(run.AtomCounts);
            p["@payload"].Value = run.Payload;
            if (current == 0)
            {
                p["@header"].Value = write.Header!;
            }
            else
            {
                p["@expected"].Value = write.ExpectedVersion;
            }

            if (command.ExecuteNonQuery() != 1)
            {
                return LogbookWriteStatus.Conflict; // cannot happen while this connection holds the write lock
            }

            foreach (var atom in write.Atoms)
            {
                var a = _upsertAtom.Parameters;
                a[0].Value = serviceId;
                a[1].Value = write.RunId;
                a[2].Value = atom.AtomId;
                a[3].Value = (int)atom.State;
                a[4].Value = atom.Payload;
                _upsertAtom.ExecuteNonQuery();
            }

            return LogbookWriteStatus.Committed;
        }

        public void Dispose()
        {
            _selectVersion.Dispose();
            _insertRun.Dispose();
            _updateRun.Dispose();
            _upsertAtom.Dispose();
            Connection.Dispose();
        }

        private static SqliteCommand Command(SqliteConnection connection, string text, params (string Name, SqliteType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = text;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            return command;
        }
    }
}
