using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.Grains;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.Index;
using TaskFlow.Orleans.Persistence.AdoNet.Hosting;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;
using TaskFlow.Orleans.Snapshots;
using TaskFlow.Orleans.States;

namespace TaskFlow.Orleans.Persistence.Tests.Security;

/// <summary>
/// Masked values (<c>TaskFlowOptions.MaskedKeys</c>) on a SQLite silo: a masked input and a masked result reach the tasks
/// that require them in clear, and appear nowhere else: not in the engine's or the stored snapshot, the events, a failure
/// message that quotes them, the logs, or the bytes of the database files. A silo without the key cannot read them back.
/// </summary>
public sealed class SqliteMaskingTests : IDisposable
{
    private const string Password = "hunter2-very-secret";
    private const string Token = "token-for-" + Password;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"taskflow-mask-{Guid.NewGuid():N}.db");
    private readonly string _serviceId = "mask-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<string> _logs = new();
    private readonly ConcurrentQueue<string> _received = new();

    [Fact]
    public async Task AMaskedInputAndResult_ReachTheTasksInClear_AndNothingElse()
    {
        var ok = "ok-" + Guid.NewGuid().ToString("N")[..8];
        var failed = "failed-" + Guid.NewGuid().ToString("N")[..8];
        using (var silo = Silo(("k1", Key)))
        {
            await silo.StartAsync();
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            var flow = Flow.Linear("sign-in").Add("mask.login", "login", provides: "token").Add("mask.use", "use", provides: "length").Build();
            await Start(grains, ok, flow);
            Assert.Equal(FlowState.Success, (await grains.GetGrain<IFlowGrain>(ok).WaitForCompletionAsync(Timeout)).State);
            await Start(grains, failed, Flow.Linear("refusal").Add("mask.login", "login", provides: "token").Add("mask.refuse", "refuse").Build());
            Assert.Equal(FlowState.Reverted, (await grains.GetGrain<IFlowGrain>(failed).WaitForCompletionAsync(Timeout)).State);

            // The tasks received the values in clear.
            Assert.Equal([$"login:{Password}", $"use:{Token}", $"login:{Password}", $"refuse:{Password}"], _received);

            var engine = await grains.GetGrain<IFlowGrain>(ok).GetSnapshotAsync();
            var stored = await grains.GetGrain<IRunIndexGrain>(0).GetStoredSnapshotAsync(ok);
            foreach (var snapshot in new[] { engine, stored })
            {
                Assert.Equal(FlowSnapshot.MaskedValue, snapshot.Inputs["password"]);
                Assert.Equal("visible", snapshot.Inputs["user"]);
                Assert.Equal(FlowSnapshot.MaskedValue, snapshot.Results["token"]);
                Assert.Equal(Token.Length, snapshot.Results["length"]);
                Assert.Equal(FlowSnapshot.MaskedValue, snapshot.Atom("login").Result);
                Assert.Equal(FlowSnapshot.MaskedValue, snapshot.Atom("login").Arguments["password"]);
                Assert.Equal(FlowSnapshot.MaskedValue, snapshot.Atom("use").Arguments["token"]);
                Assert.Equal(["password", "token"], snapshot.MaskedNames.ToArray());
                AssertNoSecret(Describe(snapshot), "a snapshot");
            }

            var failure = (await grains.GetGrain<IFlowGrain>(failed).GetSnapshotAsync()).Atom("refuse").Failure!;
            Assert.Equal("The server refused user visible with password *** and token ***.", failure.Message);
            AssertNoSecret(Describe(await grains.GetGrain<IRunIndexGrain>(0).GetStoredSnapshotAsync(failed)), "the failed run's stored snapshot");

            foreach (var run in new[] { ok, failed })
            {
                var events = await grains.GetGrain<IFlowGrain>(run).GetEventsAsync(0, TimeSpan.Zero);
                Assert.Contains(events.Events, e => e.Name == "login" && Equals(e.Result, FlowSnapshot.MaskedValue));
                AssertNoSecret(string.Join("\n", events.Events.Select(e => $"{e.Name} {e.AtomState} {e.Result} {e.Failure?.Message} {e.Failure?.StackTrace}")), "the events");
            }

            await silo.StopAsync();
        }

        Assert.Contains(_logs, line => line.Contains("failed during execute of atom refuse", StringComparison.Ordinal)); // the failure was logged, masked
        AssertNoSecret(string.Join("\n", _logs), "the logs");
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" }.Where(File.Exists))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            foreach (var secret in new[] { Password, Token })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds '{secret}' in clear (UTF-8).");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds '{secret}' in clear (UTF-16).");
            }
        }

        // Without the key the run was sealed with, a silo cannot read the masked values, and says which key it needs.
        using var otherKey = Silo(("k2", Convert.ToBase64String(new byte[32])));
        await otherKey.StartAsync();
        var refused = await Assert.ThrowsAsync<FlowStorageException>(() =>
            otherKey.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunIndexGrain>(0).GetStoredSnapshotAsync(ok));
        Assert.Contains("encrypted with key 'k1', which this silo does not have", refused.Message, StringComparison.Ordinal);
        await otherKey.StopAsync();
    }

    private static Task Start(IGrainFactory grains, string id, FlowDefinition flow) =>
        grains.GetGrain<IFlowGrain>(id).StartAsync(new FlowStartRequest
        {
            Definition = flow,
            Inputs = ImmutableDictionary<string, object?>.Empty.Add("password", Password).Add("user", "visible"),
        });

    private static void AssertNoSecret(string text, string where)
    {
        Assert.False(text.Contains(Password, StringComparison.Ordinal), $"{where} show the masked input in clear:\n{text}");
        Assert.False(text.Contains(Token, StringComparison.Ordinal), $"{where} show the masked result in clear:\n{text}");
    }

    private static string Describe(FlowSnapshot snapshot) => string.Join("\n",
        snapshot.Inputs.Select(i => $"input {i.Key}={i.Value}")
            .Concat(snapshot.Results.Select(r => $"result {r.Key}={r.Value}"))
            .Concat(snapshot.Failures.Select(f => $"failure {f.Key}={f.Value.Message} {f.Value.StackTrace}"))
            .Concat(snapshot.Atoms.Select(a => $"atom {a.Name} {a.Result} {string.Join(",", a.Arguments.Select(x => $"{x.Key}={x.Value}"))} {a.Failure?.Message}")));

    private IHost Silo(params (string Id, string Key)[] keys) => TestSilo.BuildLocal(_serviceId, s =>
    {
        s.Services.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(_logs));
        // TaskFlow's logs at every level; Orleans' at Information (its Trace-level message logs print whole messages: see docs/security.md).
        s.Services.AddLogging(logging => logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Information).AddFilter<CapturingLoggerProvider>("TaskFlow", LogLevel.Trace));
        s.UseInMemoryReminderService()
            .AddTaskFlowSqlite(o => o.DatabasePath = _database)
            .AddTaskFlow(t => t
                .AddTask("mask.login", (string password) =>
                {
                    _received.Enqueue($"login:{password}");
                    return "token-for-" + password;
                })
                .AddTask("mask.use", (string token) =>
                {
                    _received.Enqueue($"use:{token}");
                    return token.Length;
                })
                .AddTask("mask.refuse", (string user, string password, string token) =>
                {
                    _received.Enqueue($"refuse:{password}");
                    throw new InvalidOperationException($"The server refused user {user} with password {password} and token {token}.");
                })
                .Configure(o =>
                {
                    o.MaskedKeys.Add("password");
                    o.MaskedKeys.Add("token");
                    foreach (var (id, key) in keys)
                    {
                        o.EncryptionKeys[id] = key;
                    }
                }));
    });

    public void Dispose()
    {
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
