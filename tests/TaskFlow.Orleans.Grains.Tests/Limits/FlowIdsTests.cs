using TaskFlow.Orleans.Limits;

namespace TaskFlow.Orleans.Grains.Tests.Limits;

public sealed class FlowIdsTests
{
    [Theory]
    [InlineData("boot-web-01")]
    [InlineData("tenant a/run 7")]
    [InlineData("ünïcödé-运行-😀")]
    [InlineData("x")]
    public void Problem_ValidId_IsNull(string flowId) => Assert.Null(FlowIds.Problem(flowId));

    [Fact]
    public void Problem_IdOfExactlyTheMaximum_IsNullAndOneMoreIsTooLong()
    {
        Assert.Null(FlowIds.Problem(new string('a', 200)));

        var problem = FlowIds.Problem(new string('a', 201));

        Assert.Contains("is 201 characters long, over the limit of 200 (FlowIdLength)", problem);
        Assert.Contains("TaskFlow:Limits:MaxFlowIdLength", problem);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "empty")]
    [InlineData(" \t ", "only whitespace")]
    [InlineData("a\tb", "control character (U+0009) at position 1")]
    [InlineData("   ", "only whitespace")]
    [InlineData("run-1 ", "starts or ends with a space")]
    [InlineData("run\r\n1", "control character (U+000D) at position 3")]
    [InlineData("run\u00A01", "whitespace character other than a plain space (U+00A0)")]
    [InlineData("run\u202E1", "invisible format character (U+202E)")]
    [InlineData("run\u20281", "line-break character (U+2028)")]
    public void Problem_BadId_NamesTheRule(string? flowId, string rule) => Assert.Contains(rule, FlowIds.Problem(flowId));

    [Fact]
    public void Problem_LoneSurrogate_NamesTheRule() =>
        // Built here: an attribute argument cannot carry a lone surrogate (metadata stores strings as UTF-8).
        Assert.Contains("half of a surrogate pair (U+D800) at position 3", FlowIds.Problem("run" + (char)0xD800 + "1"));

    [Fact]
    public void Validate_BadId_ThrowsArgumentExceptionNamingTheParameter()
    {
        var exception = Assert.Throws<ArgumentException>(() => FlowIds.Validate("a\u0000b", paramName: "id"));

        Assert.Equal("id", exception.ParamName);
        Assert.Contains("\\u0000", exception.Message); // the control character is shown escaped, not printed
    }

    [Fact]
    public void Problem_LongId_QuotesOnlyItsStart()
    {
        var problem = FlowIds.Problem(new string('q', 8000))!;

        Assert.True(problem.Length < 400, problem);
        Assert.Contains("…(8,000 chars)", problem);
    }
}
