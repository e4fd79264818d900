using Microsoft.Data.Sqlite;
using Npgsql;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The atom states a cluster's logbooks hold at one moment, read straight from the store's <c>taskflow_atoms</c> table
/// (src/TaskFlow.Orleans.Persistence.AdoNet/Sql/*/Persistence.sql: one row per atom a run has started, keyed by ServiceId,
/// run id and atom id, with the <see cref="AtomState"/> as a number). An atom with no row is PENDING.
/// </summary>
/// <remarks>
/// Only for the stress chain: its atoms are compiled in definition order, so atom id <c>i</c> is <c>step-ii</c>.
/// </remarks>
public sealed class Logbook
{
    private Logbook(Dictionary<(string Flow, string Atom), AtomState> states, DateTimeOffset readStartedAt)
    {
        States = states;
        ReadStartedAt = readStartedAt;
    }

    /// <summary>The recorded state of every (run, step) that has a row.</summary>
    public Dictionary<(string Flow, string Atom), AtomState> States { get; }

    /// <summary>When the read began: whatever was durable before this is in <see cref="States"/> (or a later state of it).</summary>
    public DateTimeOffset ReadStartedAt { get; }

    /// <summary>The recorded state of a step; PENDING when it has no row.</summary>
    public AtomState StateOf((string Flow, string Atom) key) => States.GetValueOrDefault(key, AtomState.Pending);

    /// <summary>Steps recorded in <paramref name="state"/>.</summary>
    public List<(string Flow, string Atom)> In(AtomState state) => States.Where(s => s.Value == state).Select(s => s.Key).ToList();

    /// <summary>Runs of <paramref name="prefix"/> whose last step is not recorded SUCCESS.</summary>
    public int Unfinished(string prefix, int count) =>
        Enumerable.Range(0, count).Count(i => StateOf(($"{prefix}-{i:D4}", StepName(StressAssert.Steps - 1))) != AtomState.Success);

    /// <summary>The steps whose recorded state differs in <paramref name="later"/>, e.g. <c>rs-0007/step-04 RUNNING -> SUCCESS</c>.</summary>
    public List<string> ChangesTo(Logbook later) =>
        later.States.Keys.Union(States.Keys)
            .Where(key => StateOf(key) != later.StateOf(key))
            .OrderBy(key => key.Flow, StringComparer.Ordinal).ThenBy(key => key.Atom, StringComparer.Ordinal)
            .Select(key => $"{key.Flow}/{key.Atom} {StateOf(key)} -> {later.StateOf(key)}")
            .ToList();

    /// <summary>One consistent read (one statement) of a PostgreSQL-backed cluster's atoms.</summary>
    public static async Task<Logbook> ReadPostgreSqlAsync(string connectionString, string serviceId)
    {
        var readStartedAt = DateTimeOffset.UtcNow;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT run_id, atom_id, state FROM taskflow_atoms WHERE service_id = @service", connection);
        command.Parameters.AddWithValue("service", serviceId);
        var states = new Dictionary<(string Flow, string Atom), AtomState>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            states[(reader.GetString(0), StepName(reader.GetInt32(1)))] = (AtomState)Convert.ToByte(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new Logbook(states, readStartedAt);
    }

    /// <summary>Reads a SQLite logbook file; call it only while no silo has the file open (e.g. after <c>kill -9</c>).</summary>
    /// <summary>The run index's rows of a service (the columns <c>ListFlowsAsync</c> filters and shows): each run's state and
    /// its atoms counted by state (indexed by <see cref="AtomState"/>).</summary>
    public static async Task<Dictionary<string, (FlowState State, int[] AtomCounts)>> ReadRunIndexPostgreSqlAsync(string connectionString, string serviceId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT run_id, state, atom_counts FROM taskflow_runs WHERE service_id = @service", connection);
        command.Parameters.AddWithValue("service", serviceId);
        var rows = new Dictionary<string, (FlowState, int[])>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = ((FlowState)Convert.ToByte(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), reader.GetFieldValue<int[]>(2));
        }

        return rows;
    }

    public static Logbook ReadSqlite(string path, string serviceId)
    {
        var readStartedAt = DateTimeOffset.UtcNow;
        var states = new Dictionary<(string Flow, string Atom), AtomState>();
        // Read-write (not read-only) so SQLite may recover the write-ahead log the killed silo left, as the next silo will;
        // no pooling, so the file is closed before the next silo opens it.
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT run_id, atom_id, state FROM taskflow_atoms WHERE service_id = $service";
            command.Parameters.AddWithValue("$service", serviceId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                states[(reader.GetString(0), StepName(reader.GetInt32(1)))] = (AtomState)reader.GetInt32(2);
            }
        }

        return new Logbook(states, readStartedAt);
    }

    /// <summary>The stress chain's name for atom id <paramref name="atomId"/>.</summary>
    public static string StepName(int atomId) => $"step-{atomId:D2}";
}
