using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;
using TaskFlow.Orleans.Persistence.AdoNet.Startup;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>Run logbooks in PostgreSQL: the <c>taskflow_runs</c> and <c>taskflow_atoms</c> tables, rows keyed by ServiceId.</summary>
/// <remarks>
/// <para>A batch is one statement (<c>Sql/PostgreSql/Logbook/Write.sql</c>): the writes travel as parallel arrays, the
/// version checks, run inserts and updates and atom upserts run in the database, and the statement is its own
/// transaction, so a batch of any size costs one pooled connection, one round trip and one commit. The statement is
/// auto-prepared on each connection once it has run a few times.</para>
/// <para>Timestamps are kept to the microsecond. Every database fault leaves as a <see cref="FlowStorageException"/> that
/// names the database (never the password); the original is logged.</para>
/// </remarks>
internal sealed partial class PostgreSqlLogbookStore : ILogbookStore, IAsyncDisposable, IDisposable
{
    /// <summary>Prepared statements kept per connection, when the connection string sets no <c>Max Auto Prepare</c>.</summary>
    private const int DefaultMaxAutoPrepare = 16;

    private static readonly string WriteSql = SqlScripts.Statement(SqlDialect.PostgreSql, "Logbook", "Write");
    private static readonly string ReadSql = SqlScripts.Statement(SqlDialect.PostgreSql, "Logbook", "Read");
    private static readonly string CountByStateSql = SqlScripts.Statement(SqlDialect.PostgreSql, "Logbook", "CountByState");

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly string _database;
    private readonly ILogger<PostgreSqlLogbookStore> _logger;

    /// <summary>Creates the store; it connects on first use.</summary>
    /// <param name="connectionString">The silo's effective Npgsql connection string.</param>
    /// <param name="serviceId">The ServiceId rows are keyed by.</param>
    /// <param name="logger">The logger.</param>
    public PostgreSqlLogbookStore(string connectionString, string serviceId, ILogger<PostgreSqlLogbookStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(serviceId);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        _dataSource = builder.Build();
        _serviceId = serviceId;
        _database = PostgreSqlDatabase.Describe(connectionString);
        _logger = logger;
    }

    /// <summary>The ServiceId rows are keyed by.</summary>
    public string ServiceId => _serviceId;

    /// <inheritdoc />
    public async Task<LogbookWriteStatus[]> WriteAsync(IReadOnlyList<LogbookWrite> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        LogbookColumns.Validate(batch);
        var statuses = new LogbookWriteStatus[batch.Count];
        if (batch.Count == 0)
        {
            return statuses;
        }

        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(WriteSql, connection);
            AddWriteParameters(command, batch);
            var committed = new HashSet<string>(batch.Count, StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    committed.Add(reader.GetString(0));
                }
            }

            for (var i = 0; i < batch.Count; i++)
            {
                statuses[i] = committed.Contains(batch[i].RunId) ? LogbookWriteStatus.Committed : LogbookWriteStatus.Conflict;
            }

            return statuses;
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            LogWriteFailed(exception, batch.Count, _database);
            throw new FlowStorageException(
                $"Could not write the logbooks of {batch.Count} run(s) to {_database}: {Describe(exception)}. Nothing of this " +
                $"transaction was stored. {Fix(exception)} Runs resume from what is durable once the database is back.");
        }
    }

    /// <inheritdoc />
    public async Task<StoredLogbook?> ReadAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(ReadSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
            command.Parameters.Add(new NpgsqlParameter<string>("run_id", NpgsqlDbType.Text) { TypedValue = runId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.CloseAsync();
                await using var legacy = new NpgsqlCommand(LogbookColumns.LegacyRunQuery, connection);
                legacy.Parameters.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
                legacy.Parameters.Add(new NpgsqlParameter<string>("run_id", NpgsqlDbType.Text) { TypedValue = runId });
                return await legacy.ExecuteScalarAsync(cancellationToken) is null ? null : throw LogbookColumns.LegacyRun(runId);
            }

            var atomIds = reader.GetFieldValue<int[]>(13);
            var atomStates = reader.GetFieldValue<short[]>(14);
            var atomPayloads = reader.GetFieldValue<byte[][]>(15);
            var atoms = new AtomRow[atomIds.Length];
            for (var i = 0; i < atoms.Length; i++)
            {
                atoms[i] = new AtomRow(atomIds[i], (AtomState)atomStates[i], atomPayloads[i]);
            }

            return new StoredLogbook
            {
                RunId = runId,
                Version = reader.GetInt64(0),
                Header = reader.GetFieldValue<byte[]>(1),
                Run = new RunRow
                {
                    FlowName = reader.GetString(2),
                    FactoryName = reader.IsDBNull(3) ? null : reader.GetString(3),
                    State = (FlowState)reader.GetInt16(4),
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                    UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
                    FinishedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    Silo = reader.IsDBNull(8) ? null : reader.GetString(8),
                    FailureSummary = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Tags = LogbookColumns.DecodeTags(reader.GetString(10)),
                    AtomCounts = reader.GetFieldValue<int[]>(11),
                    Payload = reader.GetFieldValue<byte[]>(12),
                },
                Atoms = atoms,
            };
        }
        catch (Exception exception) when (exception is not FlowStorageException && !IsCancellation(exception, cancellationToken))
        {
            LogReadFailed(exception, runId, _database);
            throw new FlowStorageException(
                $"Could not read the logbook of run '{runId}' from {_database}: {Describe(exception)}. {Fix(exception)} " +
                "The run resumes from what is durable once the database is back.");
        }
    }

    /// <inheritdoc />
    /// <remarks>One statement (<c>Sql/PostgreSql/Logbook/Query.sql</c>, with the lines of the filters the query sets): the
    /// total and the page come from one snapshot.</remarks>
    public async Task<RunIndexResult> QueryAsync(RunIndexQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = RunIndexSql.FiltersOf(query);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(RunIndexSql.Text(SqlDialect.PostgreSql, filters), connection);
            AddQueryParameters(command, query, filters);
            var entries = new List<RunIndexEntry>();
            long total = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                total = reader.GetInt64(0);
                if (reader.IsDBNull(1))
                {
                    continue; // the empty page's one row: the total only
                }

                entries.Add(new RunIndexEntry(reader.GetString(1), new RunRow
                {
                    FlowName = reader.GetString(2),
                    FactoryName = reader.IsDBNull(3) ? null : reader.GetString(3),
                    State = (FlowState)reader.GetInt16(4),
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                    UpdatedAt = reader.GetFieldValue<DateTimeOffset>(6),
                    FinishedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    Silo = reader.IsDBNull(8) ? null : reader.GetString(8),
                    FailureSummary = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Tags = LogbookColumns.DecodeTags(reader.GetString(10)),
                    AtomCounts = reader.GetFieldValue<int[]>(11),
                    Payload = [],
                }));
            }

            return new RunIndexResult(entries, total);
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            LogQueryFailed(exception, _database);
            throw new FlowStorageException(
                $"Could not list runs from the run index in {_database}: {Describe(exception)}. {Fix(exception)}");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<FlowState, long>> CountByStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(CountByStateSql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
            var counts = new Dictionary<FlowState, long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[(FlowState)reader.GetInt16(0)] = reader.GetInt64(1);
            }

            return counts;
        }
        catch (Exception exception) when (!IsCancellation(exception, cancellationToken))
        {
            LogCountFailed(exception, _database);
            throw new FlowStorageException(
                $"Could not count runs by state in {_database}: {Describe(exception)}. {Fix(exception)}");
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    private void AddWriteParameters(NpgsqlCommand command, IReadOnlyList<LogbookWrite> batch)
    {
        var count = batch.Count;
        var runIds = new string[count];
        var writeIds = new Guid[count];
        var expected = new long[count];
        var flowNames = new string[count];
        var factoryNames = new string?[count];
        var states = new short[count];
        var createdAt = new DateTime[count];
        var updatedAt = new DateTime[count];
        var finishedAt = new DateTime?[count];
        var silos = new string?[count];
        var failureSummaries = new string?[count];
        var tags = new string[count];
        var atomCounts = new string[count];
        var headers = new byte[]?[count];
        var payloads = new byte[count][];
        var atomTotal = 0;
        for (var i = 0; i < count; i++)
        {
            var write = batch[i];
            var run = write.Run;
            runIds[i] = write.RunId;
            writeIds[i] = write.WriteId;
            expected[i] = write.ExpectedVersion;
            flowNames[i] = run.FlowName;
            factoryNames[i] = run.FactoryName;
            states[i] = (short)run.State;
            createdAt[i] = LogbookColumns.ToUtc(run.CreatedAt);
            updatedAt[i] = LogbookColumns.ToUtc(run.UpdatedAt);
            finishedAt[i] = run.FinishedAt is { } finished ? LogbookColumns.ToUtc(finished) : null;
            silos[i] = run.Silo;
            failureSummaries[i] = run.FailureSummary;
            tags[i] = LogbookColumns.EncodeTags(run.Tags);
            atomCounts[i] = LogbookColumns.PostgreSqlArray(run.AtomCounts);
            headers[i] = write.Header;
            payloads[i] = run.Payload;
            atomTotal += write.Atoms.Count;
        }

        var atomRunIds = new string[atomTotal];
        var atomIds = new int[atomTotal];
        var atomStates = new short[atomTotal];
        var atomPayloads = new byte[atomTotal][];
        var n = 0;
        foreach (var write in batch)
        {
            foreach (var atom in LogbookColumns.DistinctAtoms(write.Atoms))
            {
                atomRunIds[n] = write.RunId;
                atomIds[n] = atom.AtomId;
                atomStates[n] = (short)atom.State;
                atomPayloads[n] = atom.Payload;
                n++;
            }
        }

        if (n < atomTotal)
        {
            Array.Resize(ref atomRunIds, n);
            Array.Resize(ref atomIds, n);
            Array.Resize(ref atomStates, n);
            Array.Resize(ref atomPayloads, n);
        }

        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
        p.Add(ArrayParameter("run_ids", NpgsqlDbType.Text, runIds));
        p.Add(ArrayParameter("write_ids", NpgsqlDbType.Uuid, writeIds));
        p.Add(ArrayParameter("expected", NpgsqlDbType.Bigint, expected));
        p.Add(ArrayParameter("flow_names", NpgsqlDbType.Text, flowNames));
        p.Add(ArrayParameter("factory_names", NpgsqlDbType.Text, factoryNames));
        p.Add(ArrayParameter("states", NpgsqlDbType.Smallint, states));
        p.Add(ArrayParameter("created_at", NpgsqlDbType.TimestampTz, createdAt));
        p.Add(ArrayParameter("updated_at", NpgsqlDbType.TimestampTz, updatedAt));
        p.Add(ArrayParameter("finished_at", NpgsqlDbType.TimestampTz, finishedAt));
        p.Add(ArrayParameter("silos", NpgsqlDbType.Text, silos));
        p.Add(ArrayParameter("failure_summaries", NpgsqlDbType.Text, failureSummaries));
        p.Add(ArrayParameter("tags", NpgsqlDbType.Text, tags));
        p.Add(ArrayParameter("atom_counts", NpgsqlDbType.Text, atomCounts));
        p.Add(ArrayParameter("headers", NpgsqlDbType.Bytea, headers));
        p.Add(ArrayParameter("payloads", NpgsqlDbType.Bytea, payloads));
        p.Add(ArrayParameter("atom_run_ids", NpgsqlDbType.Text, atomRunIds));
        p.Add(ArrayParameter("atom_ids", NpgsqlDbType.Integer, atomIds));
        p.Add(ArrayParameter("atom_states", NpgsqlDbType.Smallint, atomStates));
        p.Add(ArrayParameter("atom_payloads", NpgsqlDbType.Bytea, atomPayloads));
    }

    /// <summary>The parameters of the filters the query sets (the statement holds only their lines).</summary>
    private void AddQueryParameters(NpgsqlCommand command, RunIndexQuery query, RunIndexFilters filters)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string>("service_id", NpgsqlDbType.Text) { TypedValue = _serviceId });
        p.Add(new NpgsqlParameter<int>("limit", NpgsqlDbType.Integer) { TypedValue = Math.Max(0, query.Limit) });
        if (filters.HasFlag(RunIndexFilters.State))
        {
            p.Add(new NpgsqlParameter<short>("state", NpgsqlDbType.Smallint) { TypedValue = (short)query.States[0] });
        }

        if (filters.HasFlag(RunIndexFilters.States))
        {
            p.Add(ArrayParameter("states", NpgsqlDbType.Smallint, query.States.Distinct().Select(s => (short)s).ToArray()));
        }

        if (query.Name is { } name)
        {
            p.Add(new NpgsqlParameter<string>("name", NpgsqlDbType.Text) { TypedValue = name });
        }

        if (query.Tag is { } tag)
        {
            p.Add(new NpgsqlParameter<string>("tag", NpgsqlDbType.Text) { TypedValue = tag });
        }

        if (query.CreatedFrom is { } from)
        {
            p.Add(TimeParameter("created_from", RunIndexSql.RoundUpToMicroseconds(from)));
        }

        if (query.CreatedBefore is { } before)
        {
            p.Add(TimeParameter("created_before", RunIndexSql.RoundUpToMicroseconds(before)));
        }

        if (query.IdPrefix is { } prefix)
        {
            p.Add(new NpgsqlParameter<string>("id_prefix", NpgsqlDbType.Text) { TypedValue = prefix });
        }

        if (query.After is { } after)
        {
            var (ticks, runId) = RunIndexSql.CursorKey(after);
            p.Add(TimeParameter("after_created_at", ticks));
            p.Add(new NpgsqlParameter<string>("after_run_id", NpgsqlDbType.Text) { TypedValue = runId });
        }
    }

    private static NpgsqlParameter<DateTime> TimeParameter(string name, long utcTicks) =>
        new(name, NpgsqlDbType.TimestampTz) { TypedValue = new DateTime(utcTicks, DateTimeKind.Utc) };

    private static NpgsqlParameter ArrayParameter(string name, NpgsqlDbType elementType, object values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values };

    private static bool IsCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private static string Describe(Exception exception) => exception switch
    {
        PostgresException p => $"{p.SqlState}: {p.MessageText}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    private static string Fix(Exception exception) => exception switch
    {
        PostgresException { SqlState: "42P01" or "42703" } =>
            "TaskFlow's logbook tables are missing or outdated: apply the schema (TaskFlowSchema.ApplyPostgreSqlAsync, or let the " +
            "silo apply it at start with TaskFlowPostgreSqlOptions.ApplySchemaOnStart).",
        PostgresException { SqlState: "42501" } =>
            "The user may not write TaskFlow's tables: grant it SELECT, INSERT, UPDATE and DELETE (DELETE to purge runs) on " +
            "taskflow_runs and taskflow_atoms.",
        PostgresException { SqlState: var s } when s.StartsWith("28", StringComparison.Ordinal) =>
            "Check Username and Password in the connection string, and that pg_hba.conf lets this host in.",
        _ when PostgreSqlDatabase.IsUnreachable(exception) =>
            "Check that the server is running and that Host and Port in the connection string are right.",
        _ => "Check the database server's log.",
    };
}
