using System.Collections.Concurrent;
using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Authoring;
using TaskFlow.Orleans.Client;
using TaskFlow.Orleans.Grains.Hosting;

namespace TaskFlow.Orleans.Grains.Tests.Masking;

/// <summary>A one-silo cluster that masks the input <c>password</c> and the result <c>token</c>, and keeps every log line
/// its silo writes (debug and up).</summary>
public sealed class MaskingClusterFixture : Cluster.OneSiloClusterFixture<MaskingClusterFixture.Configurator>
{
    /// <summary>Returns <c>"tok-" + password + "-xyz"</c>, provided as the masked <c>token</c>.</summary>
    public const string LoginTask = "mask.login";

    /// <summary>Requires the masked <c>token</c>, records it in <see cref="ReceivedTokens"/> and returns its length.</summary>
    public const string UseTask = "mask.use";

    /// <summary>Fails with a message (and a cause's message) that quote its <c>password</c> argument.</summary>
    public const string LeakTask = "mask.leak";

    /// <summary>The logbooks of the silo.</summary>
    public static global::TaskFlow.Orleans.Grains.Logbook.MemoryLogbookStore Store { get; } = new();

    /// <summary>Every log line the silo wrote, with its exception.</summary>
    public static ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>The tokens <see cref="UseTask"/> received, by flow id.</summary>
    public static ConcurrentDictionary<string, string> ReceivedTokens { get; } = new();

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new CapturingProvider()));
            siloBuilder
                .AddTaskFlowMemoryStorage(Store)
                .UseInMemoryReminderService()
                .AddTaskFlow(taskFlow => taskFlow
                    .AddListener<JsonListener>()
                    .AddTask(LoginTask, (string password) => "tok-" + password + "-xyz")
                    .AddTask(UseTask, (string token, TaskFlow.Orleans.Authoring.TaskContext context) =>
                    {
                        ReceivedTokens[context.FlowId] = token;
                        return token.Length;
                    })
                    .AddTask(LeakTask, new Func<string, int>(password =>
                        throw new InvalidOperationException($"cannot log in with '{password}'",
                            new UnauthorizedAccessException($"password {password} was refused"))))
                    .Configure(options =>
                    {
                        options.MaskedKeys.Add("password");
                        options.MaskedKeys.Add("token");
                        options.EncryptionKeys["k1"] = Convert.ToBase64String(new byte[32]);
                    }));
        }
    }

    /// <summary>Every context a silo-side listener was given, as JSON.</summary>
    public static ConcurrentQueue<string> ListenerContexts { get; } = new();

    private sealed class JsonListener : IFlowListener
    {
        public void OnFlowStarted(FlowStartedContext started) =>
            ListenerContexts.Enqueue(System.Text.Json.JsonSerializer.Serialize(started));

        public void OnChange(FlowChangeContext change) =>
            ListenerContexts.Enqueue(System.Text.Json.JsonSerializer.Serialize(change));
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            LogLines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>The tests that share <see cref="MaskingClusterFixture"/>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MaskingCollection : ICollectionFixture<MaskingClusterFixture>
{
    public const string Name = "masking";
}
