using System.Text.Json;
using Microsoft.Data.Sqlite;
using TaskFlow.Orleans.Logbook;
using TaskFlow.Orleans.Persistence.AdoNet.Schema;

namespace TaskFlow.Orleans.Persistence.AdoNet.Logbook;

/// <summary>Deleting finished runs in batches on SQLite (retention and bulk purges).</summary>
internal sealed partial class SqliteLogbookStore
{
    private static readonly string DeleteFinishedRunsSql = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "DeleteFinishedRuns");
    private static readonly string DeleteFinishedAtomsSql = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "DeleteFinishedAtoms");
    private static readonly string CountFinishedSql = SqlScripts.Statement(SqlDialect.Sqlite, Folder, "CountFinished");

    /// <inheritdoc />
    /// <remarks>One <c>BEGIN IMMEDIATE</c> transaction on the write connection, between two write batches: one DELETE of the
    /// batch's run rows (state and finish time checked by it, RETURNING the ids), then one DELETE of their atom rows.</remarks>
    public async Task<FinishedRunsDeleted> DeleteFinishedAsync(FinishedRunsFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var states = JsonSerializer.Serialize(filter.FinishedStates().Select(s => (int)s).ToArray());
        var before = LogbookColumns.ToUnixMicroseconds(new DateTimeOffset(RunIndexSql.RoundUpToMicroseconds(filter.FinishedBefore), TimeSpan.Zero));
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var writer = _writer ??= Writer.Open(_writeConnectionString);
                using var transaction = writer.Connection.BeginTransaction(deferred: false);
                using var command = writer.Connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = DeleteFinishedRunsSql;
                command.Parameters.AddWithValue("@service_id", _serviceId);
                command.Parameters.AddWithValue("@before", before);
                command.Parameters.AddWithValue("@states", states);
                command.Parameters.AddWithValue("@limit", limit);
                var runIds = new List<string>();
                long? oldest = null;
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        runIds.Add(reader.GetString(0));
                        var finished = reader.GetInt64(1);
                        oldest = oldest is { } o && o <= finished ? o : finished;
                    }
                }

                if (runIds.Count > 0)
                {
                    command.Parameters.Clear();
                    command.CommandText = DeleteFinishedAtomsSql;
                    command.Parameters.AddWithValue("@service_id", _serviceId);
                    command.Parameters.AddWithValue("@run_ids", JsonSerializer.Serialize(runIds));
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
                return new FinishedRunsDeleted(runIds, oldest is { } first ? LogbookColumns.FromUnixMicroseconds(first) : null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _writer?.Dispose();
                _writer = null;
                LogDeleteFinishedFailed(exception, _fullPath);
                throw new FlowStorageException(
                    $"Could not delete a batch of finished runs from the SQLite database '{_fullPath}': {Describe(exception)}. " +
                    $"Nothing of the batch was deleted. {Fix(exception)}");
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public Task<FinishedRunsTally> CountFinishedAsync(FinishedRunsFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var states = JsonSerializer.Serialize(filter.FinishedStates().Select(s => (int)s).ToArray());
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = CountFinishedSql;
            command.Parameters.AddWithValue("@service_id", _serviceId);
            command.Parameters.AddWithValue("@before",
                LogbookColumns.ToUnixMicroseconds(new DateTimeOffset(RunIndexSql.RoundUpToMicroseconds(filter.FinishedBefore), TimeSpan.Zero)));
            command.Parameters.AddWithValue("@states", states);
            using var reader = command.ExecuteReader();
            reader.Read();
            return Task.FromResult(new FinishedRunsTally(
                reader.GetInt64(0), reader.IsDBNull(1) ? null : LogbookColumns.FromUnixMicroseconds(reader.GetInt64(1))));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogCountFailed(exception, _fullPath);
            throw new FlowStorageException(
                $"Could not count finished runs in the SQLite database '{_fullPath}': {Describe(exception)}. {Fix(exception)}");
        }
    }
}
