using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TaskFlow.Orleans.Dashboard.Security;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>Who may read and operate: loopback only without a policy; the host's policies once they are named.</summary>
public sealed class AccessTests
{
    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("10.1.2.3", null, false)]
    [InlineData("127.0.0.1", "198.51.100.4", false)] // a proxy on this machine forwarding someone else
    public async Task WithoutAPolicy_OnlyLocalRequestsAreAnswered(string remote, string? forwardedFor, bool allowed)
    {
        var access = Access(new TaskFlowDashboardOptions());
        var context = Request(remote, forwardedFor, user: null);
        Assert.Equal(allowed, await access.CheckReadAsync(context) is null);
        Assert.Equal(allowed, await access.CheckOperateAsync(context) is null);
    }

    [Fact]
    public async Task WithPolicies_ReadAndOperateAreCheckedSeparately_FromAnyAddress()
    {
        var options = new TaskFlowDashboardOptions { ReadPolicy = "viewers", OperatePolicy = "operators" };
        var access = Access(options, authorization =>
        {
            authorization.AddPolicy("viewers", p => p.RequireAuthenticatedUser());
            authorization.AddPolicy("operators", p => p.RequireRole("ops"));
        });

        var viewer = Request("10.1.2.3", null, user: new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "vera")], "test")));
        Assert.Null(await access.CheckReadAsync(viewer));
        Assert.Contains("'operators'", await access.CheckOperateAsync(viewer), StringComparison.Ordinal);

        var operatorUser = Request("10.1.2.3", null, user: new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "olga"), new Claim(ClaimTypes.Role, "ops")], "test")));
        Assert.Null(await access.CheckOperateAsync(operatorUser));
        Assert.Equal("olga", DashboardAccess.UserOf(operatorUser));

        var anonymous = Request("127.0.0.1", null, user: null);
        Assert.Contains("'viewers'", await access.CheckReadAsync(anonymous), StringComparison.Ordinal);
    }

    private static DashboardAccess Access(TaskFlowDashboardOptions options, Action<AuthorizationOptions>? policies = null)
    {
        var services = new ServiceCollection().AddLogging();
        if (policies is not null)
        {
            services.AddAuthorization(policies);
        }

        return new DashboardAccess(Options.Create(options), services.BuildServiceProvider());
    }

    private static DefaultHttpContext Request(string remote, string? forwardedFor, ClaimsPrincipal? user)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        if (user is not null)
        {
            context.User = user;
        }

        return context;
    }
}
