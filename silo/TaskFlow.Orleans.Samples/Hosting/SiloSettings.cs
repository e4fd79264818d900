namespace TaskFlow.Orleans.Samples.Hosting;

/// <summary>The silo's configuration, read from the <c>Silo</c> section (appsettings.json, <c>Silo__*</c> environment variables, or <c>--Silo:*</c> arguments).</summary>
public sealed class SiloSettings
{
    /// <summary>The port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The cluster id; clients must use the same one.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The service id; stored rows are keyed by it, so never change it for a deployment.</summary>
    public string ServiceId { get; set; } = "taskflow";
}
