using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;
using TaskFlow.Orleans.Grains.Diagnostics;

namespace TaskFlow.Orleans.Grains.Hosting;

/// <summary>
/// Refuses calls from external Orleans clients to grain methods marked <see cref="SiloOnlyAttribute"/> (on the method or
/// its interface), with <see cref="InternalGrainAccessException"/>, before the grain runs them.
/// </summary>
/// <remarks>
/// <para>Who called is the call's <see cref="IGrainCallContext.SourceId"/>, as the silo's runtime fills it in:</para>
/// <list type="bullet">
/// <item>a grain (or a system target): its own id, never a client id: allowed;</item>
/// <item>code inside a silo that is not a grain (a task reporting progress from a thread-pool thread, a silo-hosted
/// dashboard, a test's in-silo <see cref="IGrainFactory"/>): the silo's hosted client, a client id whose key is
/// <c>hosted-</c> followed by the silo address (Orleans' <c>HostedClient.CreateHostedClientGrainId</c>): allowed, as
/// such code is part of the silo's process and so already trusted with everything in it;</item>
/// <item>an external client, through a gateway: any other client id: refused;</item>
/// <item>no source at all: allowed (the runtime leaves it unset for nothing but its own messages).</item>
/// </list>
/// <para>This keeps a plain <c>IClusterClient</c> out of the engine's internals; it is not authentication. Orleans'
/// gateway does not check the sender id a client writes into its messages, so a hand-made client could forge one: keep
/// the silo and gateway ports on a network only the cluster and its trusted clients reach.</para>
/// </remarks>
internal sealed partial class SiloOnlyCallFilter(ILogger<SiloOnlyCallFilter> logger) : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> SiloOnlyMethods = new();

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.SourceId is { } source && IsExternalClient(source) && IsSiloOnly(context.InterfaceMethod))
        {
            var interfaceName = context.InterfaceMethod.DeclaringType?.Name ?? context.InterfaceName;
            var methodName = context.InterfaceMethod.Name;
            Log.Refused(logger, interfaceName, methodName, context.TargetId.ToString(), source.ToString());
            TaskFlowMetrics.CallsRefused.Add(1,
                new KeyValuePair<string, object?>("interface", interfaceName), new KeyValuePair<string, object?>("method", methodName));
            throw new InternalGrainAccessException(interfaceName, methodName);
        }

        return context.Invoke();
    }

    /// <summary>Whether the caller is a client outside the silos: a client id that is not a silo's hosted client.</summary>
    internal static bool IsExternalClient(GrainId source) =>
        source.IsClient() && !source.Key.AsSpan().StartsWith("hosted-"u8);

    /// <summary>Whether a method, or the interface declaring it, is marked <see cref="SiloOnlyAttribute"/> (cached per method).</summary>
    internal static bool IsSiloOnly(MethodInfo method) =>
        SiloOnlyMethods.GetOrAdd(method, static m =>
            m.IsDefined(typeof(SiloOnlyAttribute), inherit: false) ||
            m.DeclaringType?.IsDefined(typeof(SiloOnlyAttribute), inherit: false) == true);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused a call to {Interface}.{Method} on {Grain} from external client {Client}: only silos may call it")]
        public static partial void Refused(ILogger logger, string @interface, string method, string grain, string client);
    }
}
