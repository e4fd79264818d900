using TaskFlow.Orleans.Grains.Logbook;
using TaskFlow.Orleans.Logbook;

namespace TaskFlow.Orleans.Persistence.Tests.Logbook;

/// <summary>One backend for the logbook conformance suite: a database with the schema applied, and stores on it per ServiceId.</summary>
public abstract class LogbookStoreFixture : IAsyncLifetime
{
    private readonly Dictionary<string, ILogbookStore> _stores = new(StringComparer.Ordinal);

    /// <summary>The ServiceId of <see cref="Store"/>; unique per fixture.</summary>
    public string ServiceId { get; } = "logbook-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The store under test.</summary>
    public ILogbookStore Store => For(ServiceId);

    /// <summary>Skips (or, under CI, fails) when the backend is not available; memory and SQLite always are.</summary>
    public virtual void Require()
    {
    }

    /// <summary>A store on the same database with rows keyed by <paramref name="serviceId"/> (one per ServiceId).</summary>
    public ILogbookStore For(string serviceId)
    {
        lock (_stores)
        {
            return _stores.TryGetValue(serviceId, out var store) ? store : _stores[serviceId] = Create(serviceId);
        }
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores.Values)
        {
            if (store is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (store is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        await CleanUpAsync();
    }

    protected abstract ILogbookStore Create(string serviceId);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;
}
