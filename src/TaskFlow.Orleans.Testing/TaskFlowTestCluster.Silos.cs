using global::Orleans;
using global::Orleans.Runtime;
using global::Orleans.TestingHost;
using TaskFlow.Orleans.Grains;

namespace TaskFlow.Orleans.Testing;

/// <summary>Killing and starting silos: a silo that dies mid-run, as a crashed process would.</summary>
public sealed partial class TaskFlowTestCluster
{
    /// <summary>Stops a silo abruptly, without a graceful shutdown: its activations are lost as in a crash, and the cluster
    /// declares it dead. Runs it drove resume on another silo at their next call (a snapshot, a wait) or resume reminder.</summary>
    /// <param name="silo">One of <see cref="Silos"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the kill.</param>
    /// <returns>Completes when the silo is gone.</returns>
    /// <exception cref="ArgumentException"><paramref name="silo"/> is not a running silo of this cluster.</exception>
    /// <exception cref="InvalidOperationException">It is the last running silo.</exception>
    public async Task KillSiloAsync(InProcessSiloHandle silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var running = Silos;
        if (!running.Any(s => s.SiloAddress.Equals(silo.SiloAddress)))
        {
            throw new ArgumentException($"Silo {silo.SiloAddress} is not a running silo of this cluster; pick one of TaskFlowTestCluster.Silos.", nameof(silo));
        }

        if (running.Count == 1)
        {
            throw new InvalidOperationException(
                $"Silo {silo.SiloAddress} is the cluster's last running silo: nothing could resume its runs. " +
                "Build the cluster with WithSilos(2) or more, or start one with StartSiloAsync first.");
        }

        await _cluster.KillSiloAsync(silo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The silo whose engine is driving a run now.</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The silo, or <see langword="null"/> when the run is not active on any silo (finished and deactivated, or
    /// not started).</returns>
    public async Task<InProcessSiloHandle?> FindSiloRunningAsync(string flowId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(flowId);
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var address = await management.GetActivationAddress(_cluster.Client.GetGrain<IFlowGrain>(flowId))
            .AsTask().WaitAsync(DefaultTimeout, cancellationToken).ConfigureAwait(false);
        return address is null ? null : Silos.FirstOrDefault(s => s.SiloAddress.Equals(address));
    }

    /// <summary>Kills the silo whose engine is driving a run, mid-run (see <see cref="KillSiloAsync"/>). Hold the run where
    /// you want it first, for example with a task waiting at a gate (<see cref="Gates"/>).</summary>
    /// <param name="flowId">The run's id.</param>
    /// <param name="cancellationToken">Stops waiting for the kill.</param>
    /// <returns>The silo that was killed.</returns>
    /// <exception cref="InvalidOperationException">The run is not active on any silo, or its silo is the last one.</exception>
    public async Task<InProcessSiloHandle> KillSiloRunningAsync(string flowId, CancellationToken cancellationToken = default)
    {
        var silo = await FindSiloRunningAsync(flowId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(
                $"Run '{flowId}' is not active on any silo, so there is no silo to kill under it. Start it first and hold it " +
                "mid-run (a task waiting at a gate) before killing its silo.");
        await KillSiloAsync(silo, cancellationToken).ConfigureAwait(false);
        return silo;
    }

    /// <summary>Starts one more silo, configured as the others (for example to replace a killed one).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The new silo.</returns>
    public async Task<InProcessSiloHandle> StartSiloAsync(CancellationToken cancellationToken = default)
    {
        var silo = await _cluster.StartAdditionalSiloAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return silo;
    }
}
