using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using TaskFlow.Orleans.Grains.Options;
using TaskFlow.Orleans.Persistence.Tests.Infrastructure;

namespace TaskFlow.Orleans.Persistence.Tests.Conformance;

/// <summary>One running silo whose "taskflow" grain storage the conformance runner drives directly through IGrainStorage.</summary>
public abstract class StorageFixture : IAsyncLifetime
{
    private IHost? _host;

    /// <summary>The ServiceId rows are keyed by; unique per fixture.</summary>
    public string ServiceId { get; } = "conformance-" + Guid.NewGuid().ToString("N")[..8];

    public IServiceProvider Services => (_host ?? throw new InvalidOperationException("The silo did not start.")).Services;

    public IGrainStorage Storage => Services.GetRequiredKeyedService<IGrainStorage>(TaskFlowOptions.DefaultStorageProviderName);

    public Serializer Serializer => Services.GetRequiredService<Serializer>();

    /// <summary>Skips (or, under CI, fails) when the backend is not available; the default backends always are.</summary>
    public virtual void Require()
    {
    }

    public async Task InitializeAsync()
    {
        if (!await PrepareAsync())
        {
            return;
        }

        _host = TestSilo.BuildLocal(ServiceId, Configure);
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        await CleanUpAsync();
    }

    /// <summary>Prepares the backend; returns false when it is unavailable and the silo should not start.</summary>
    protected virtual Task<bool> PrepareAsync() => Task.FromResult(true);

    protected abstract void Configure(ISiloBuilder silo);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
