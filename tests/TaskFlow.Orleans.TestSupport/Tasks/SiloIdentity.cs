using global::Orleans;
using global::Orleans.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace TaskFlow.Orleans.Testing.Tasks;

/// <summary>
/// The silo a delegate task runs on. Delegate tasks are registered before the silo's services exist, so they close over
/// this holder, which is filled in from <see cref="IGrainRuntime.SiloIdentity"/> when the silo is built (task classes
/// get <see cref="IGrainRuntime"/> by constructor injection instead).
/// </summary>
public sealed class SiloIdentity
{
    /// <summary>The silo's identity, as a grain's <c>RuntimeIdentity</c> and so as <c>AtomSnapshot.RanOn</c>; <see langword="null"/> until bound.</summary>
    public string? Value { get; private set; }

    /// <summary>Registers a holder on a silo and binds it while the silo starts.</summary>
    /// <param name="services">The silo's services.</param>
    /// <returns>The holder, to close delegate tasks over.</returns>
    public static SiloIdentity Register(IServiceCollection services)
    {
        var identity = new SiloIdentity();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            sp => new Binder(identity, sp.GetRequiredService<IGrainRuntime>()));
        return identity;
    }

    /// <summary>Binds the holder when the silo resolves its lifecycle participants, before any grain runs.</summary>
    private sealed class Binder : ILifecycleParticipant<ISiloLifecycle>
    {
        public Binder(SiloIdentity identity, IGrainRuntime runtime) => identity.Value = runtime.SiloIdentity;

        public void Participate(ISiloLifecycle lifecycle)
        {
        }
    }
}
