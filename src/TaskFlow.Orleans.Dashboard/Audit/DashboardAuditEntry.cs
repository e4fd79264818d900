namespace TaskFlow.Orleans.Dashboard.Audit;

/// <summary>One action taken from the dashboard: who, when, what, on which run, and what came of it.</summary>
/// <param name="At">When the action was asked for.</param>
/// <param name="User">The authenticated user's name, or <c>anonymous (local)</c> for a loopback request without one.</param>
/// <param name="RemoteAddress">The address the request came from.</param>
/// <param name="Action">The action.</param>
/// <param name="FlowId">The run it was taken on.</param>
/// <param name="Outcome">What happened: the run's state after it, the new run's id, or why nothing was done.</param>
public sealed record DashboardAuditEntry(DateTimeOffset At, string User, string? RemoteAddress, DashboardAction Action, string FlowId, string Outcome);
