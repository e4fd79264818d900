using System.Net;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using TaskFlow.Orleans.Definitions;
using TaskFlow.Orleans.States;
using TaskFlow.Orleans.Testing.Journal;
using TaskFlow.Orleans.Testing.Tasks;

namespace TaskFlow.Orleans.Dashboard.Tests;

/// <summary>What the dashboard answers to requests it must refuse or cannot serve: no browser needed.</summary>
[Collection(DashboardCollection.Name)]
public sealed class HttpTests(DashboardFixture fixture) : DashboardTest(fixture), IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task RequestThroughAProxy_IsRefusedByDefault()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Fixture.Url + "/runs");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("ReadPolicy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestFromANonLoopbackAddress_IsRefusedByDefault()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Skip.If(address is null, "This machine has no non-loopback IPv4 address to make the request from.");

        using var response = await _http.GetAsync($"http://{address}:{Fixture.Port}/taskflow/runs");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("only requests from this machine", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_CarryTheContentSecurityPolicy()
    {
        using var response = await _http.GetAsync(Fixture.Url + "/runs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilosAndCatalogPages_ShowEverySiloAndTheRegisteredTasks()
    {
        var silos = await _http.GetStringAsync(Fixture.Url + "/silos");
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(silos, "data-status=\"Active\"").Count);
        Assert.Contains(EchoTask.TaskName, silos, StringComparison.Ordinal);
        var catalog = await _http.GetStringAsync(Fixture.Url + "/catalog");
        Assert.Contains($"data-name=\"{EchoTask.TaskName}\"", catalog, StringComparison.Ordinal);
        Assert.Contains($"data-name=\"{FailingTask.TaskName}\"", catalog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreDown_ShowsABannerSayingSo_NeverAStackTrace()
    {
        Fixture.Outage.Down = true;
        try
        {
            foreach (var path in new[] { "/", "/runs", "/runs/some-run" })
            {
                using var response = await _http.GetAsync(Fixture.Url + path);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                Assert.Contains("class=\"banner error\"", body, StringComparison.Ordinal);
                Assert.Contains("did not answer (connection refused)", body, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            }

            using var json = await _http.GetAsync(Fixture.Url + "/api/runs");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, json.StatusCode);
            Assert.Contains("unavailable", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Fixture.Outage.Down = false;
        }

        using var back = await _http.GetAsync(Fixture.Url + "/runs");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task ActionOnAFinishedRun_SaysWhyItDidNothing()
    {
        var flowId = NewFlowId("done");
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(await StartAsync(EchoChain("finished-flow"), flowId)));
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
        var token = await http.GetFromJsonAsync<System.Text.Json.JsonElement>(Fixture.Url + "/api/token");

        using var request = new HttpRequestMessage(HttpMethod.Post, Fixture.Url + "/api/runs/" + flowId + "/suspend");
        request.Headers.Add(token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString());
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("does nothing to a run that is SUCCESS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(FlowState.Success, (await Client.GetStoredSnapshotAsync(flowId)).State);
    }

    [Fact]
    public async Task UnknownRun_Is404NamingIt()
    {
        using var page = await _http.GetAsync(Fixture.Url + "/runs/no-such-run-42");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("no-such-run-42", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var json = await _http.GetAsync(Fixture.Url + "/api/runs/no-such-run-42");
        Assert.Equal(HttpStatusCode.NotFound, json.StatusCode);
        Assert.Contains("no-such-run-42", await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state=BOGUS", "state", "BOGUS")]
    [InlineData("size=0", "size", "1 to 1000")]
    [InlineData("from=yesterday", "from", "ISO 8601")]
    [InlineData("after=not-a-token", "after", "page token")]
    public async Task MalformedFilter_Is400NamingTheParameter(string query, string parameter, string why)
    {
        using var response = await _http.GetAsync(Fixture.Url + "/runs?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Bad parameter: " + parameter, body, StringComparison.Ordinal);
        Assert.Contains(why, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActionWithoutTheFormToken_IsRefused_AndTheRunGoesOn()
    {
        var flowId = NewFlowId("csrf");
        var handle = await StartAsync(Flow.Linear("csrf-flow").Add<GatedTask>("held", provides: "y", inject: ("value", 1)), flowId);
        await TaskGates.WaitEnteredAsync(flowId, "held").WaitAsync(Timeout);

        using var response = await _http.PostAsync(Fixture.Url + "/runs/" + flowId + "/cancel", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nothing was done", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(FlowState.Running, (await handle.GetStatusAsync()).State);

        TaskGates.Open(flowId, "held");
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(handle));
    }

    [Fact]
    public async Task HugeResult_IsCutWithItsSize_AndALinkToTheWholeValue()
    {
        var flowId = NewFlowId("huge");
        var big = new string('x', 50_000);
        Assert.Equal(FlowState.Success, await WaitFinishedAsync(await StartAsync(
            Flow.Linear("huge-result").Add<EchoTask>("big", provides: "big", inject: ("value", big)), flowId)));

        var html = await _http.GetStringAsync(Fixture.Url + "/runs/" + flowId);
        Assert.Contains("cut at 2000 of 50 k characters", html, StringComparison.Ordinal);
        Assert.DoesNotContain(big, html, StringComparison.Ordinal);
        var whole = await _http.GetStringAsync(Fixture.Url + "/runs/" + flowId + "/values/result/big");
        Assert.Equal("\"" + big + "\"", whole);
    }
}
