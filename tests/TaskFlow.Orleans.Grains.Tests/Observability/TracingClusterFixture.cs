using System.Diagnostics;
using global::Orleans.Hosting;
using global::Orleans.TestingHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TaskFlow.Orleans.Grains.Hosting;
using TaskFlow.Orleans.OpenTelemetry;

namespace TaskFlow.Orleans.Grains.Tests.Observability;

/// <summary>A one-silo cluster whose silo and client carry trace context (<c>AddActivityPropagation</c>), with an OpenTelemetry
/// tracer provider (<c>AddTaskFlowInstrumentation</c>) exporting to memory, a masked input and result, and health checks.</summary>
public sealed class TracingClusterFixture : Cluster.OneSiloClusterFixture<TracingClusterFixture.Configurator>
{
    /// <summary>Returns <c>"tok-" + password</c>, provided as the masked <c>token</c>.</summary>
    public const string LoginTask = "trace.login";

    /// <summary>Requires the masked <c>token</c> and returns its length.</summary>
    public const string UseTask = "trace.use";

    /// <summary>Fails until the attempt its retry provides reaches <c>succeedAt</c>.</summary>
    public const string FailUntilTask = "trace.fail-until";

    /// <summary>Waits at its gate (<c>TaskGates</c>) and returns 1.</summary>
    public const string GateTask = "trace.gate";

    /// <summary>The source of the test's own "client" spans.</summary>
    public static readonly ActivitySource ClientSource = new("TaskFlow.Orleans.Tests.Client");

    private TracerProvider? _tracing;

    /// <summary>Every span exported while the fixture lives (other tests' runs too: filter by trace).</summary>
    public SpanCollection Spans { get; } = new();

    public override async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(ClientSource.Name)
            .AddTaskFlowInstrumentation()
            .AddInMemoryExporter(Spans)
            .Build();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _tracing?.Dispose();
    }

    protected override void Configure(TestClusterBuilder builder) => builder.AddClientBuilderConfigurator<ClientConfigurator>();

    public sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddHealthChecks().AddTaskFlow();
            siloBuilder
                .AddActivityPropagation()
                .AddTaskFlowMemoryStorage()
                .UseInMemoryReminderService()
                .AddTaskFlow(taskFlow => taskFlow
                    .AddTask(LoginTask, (string password) => "tok-" + password)
                    .AddTask(UseTask, (string token) => token.Length)
                    .AddTask(GateTask, async (TaskFlow.Orleans.Authoring.TaskContext context, CancellationToken cancellationToken) =>
                    {
                        await TaskFlow.Orleans.Testing.Journal.TaskGates.PassAsync(context.FlowId, context.AtomName, cancellationToken);
                        return 1;
                    })
                    .AddTask(FailUntilTask, (long attempt, long succeedAt) =>
                        attempt < succeedAt ? throw new InvalidOperationException($"Attempt {attempt} fails.") : attempt)
                    .Configure(options =>
                    {
                        options.MaskedKeys.Add("password");
                        options.MaskedKeys.Add("token");
                        options.EncryptionKeys["k1"] = Convert.ToBase64String(new byte[32]);
                    }));
        }
    }

    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) => clientBuilder.AddActivityPropagation();
    }
}

/// <summary>A thread-safe collection the in-memory exporter adds to (spans end on many threads at once).</summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    /// <summary>The spans of one trace.</summary>
    public List<Activity> OfTrace(ActivityTraceId traceId)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.TraceId == traceId).ToList();
        }
    }

    /// <summary>The spans that match.</summary>
    public List<Activity> Where(Func<Activity, bool> predicate)
    {
        lock (_spans)
        {
            return _spans.Where(predicate).ToList();
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

[CollectionDefinition(Name)]
public sealed class TracingCollection : ICollectionFixture<TracingClusterFixture>
{
    public const string Name = "tracing";
}
