using System.Collections;
using System.Collections.Immutable;
using TaskFlow.Orleans.Core.Storage;

namespace TaskFlow.Orleans.Core.Tests.Storage;

public sealed class ProvidedValueTests
{
    private sealed record Server(string Ip, int Port);

    [Fact]
    public void Extract_SingleName_ReturnsWholeResult()
    {
        var result = (1, "two");

        Assert.Equal(result, ProvidedValue.Extract(result, "pair", -1, 1));
    }

    [Fact]
    public void Extract_SingleNameNullResult_ReturnsNull()
    {
        Assert.Null(ProvidedValue.Extract(null, "nothing", -1, 1));
    }

    [Fact]
    public void Extract_ValueTuple_TakesByPosition()
    {
        object result = ("10.0.0.1", 22);

        Assert.Equal("10.0.0.1", ProvidedValue.Extract(result, "ip", 0, 2));
        Assert.Equal(22, ProvidedValue.Extract(result, "port", 1, 2));
    }

    [Fact]
    public void Extract_ReferenceTuple_TakesByPosition()
    {
        object result = Tuple.Create("a", "b", "c");

        Assert.Equal("c", ProvidedValue.Extract(result, "third", 2, 3));
    }

    [Fact]
    public void Extract_TupleShorterThanProvides_ThrowsNamingNameAndType()
    {
        object result = (1, 2);

        var error = Assert.Throws<InvalidOperationException>(() => ProvidedValue.Extract(result, "third", 2, 3));

        Assert.Contains("'third'", error.Message);
        Assert.Contains("ValueTuple", error.Message);
        Assert.Contains("2 items", error.Message);
    }

    [Fact]
    public void Extract_StringKeyedDictionary_TakesByKeyNotPosition()
    {
        var result = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };

        Assert.Equal(1, ProvidedValue.Extract(result, "a", 1, 2));
        Assert.Equal(2, ProvidedValue.Extract(result, "b", 0, 2));
    }

    [Fact]
    public void Extract_NonGenericHashtable_TakesByKey()
    {
        var result = new Hashtable { ["ip"] = "10.0.0.1", ["port"] = 22 };

        Assert.Equal(22, ProvidedValue.Extract(result, "port", 1, 2));
    }

    [Fact]
    public void Extract_ReadOnlyDictionaryOnly_TakesByKey()
    {
        IReadOnlyDictionary<string, string> result = new ReadOnlyOnlyDictionary(new Dictionary<string, string> { ["x"] = "ex" });

        Assert.Equal("ex", ProvidedValue.Extract(result, "x", 0, 2));
    }

    [Fact]
    public void Extract_ImmutableDictionary_TakesByKey()
    {
        var result = ImmutableDictionary<string, object?>.Empty.Add("ip", "10.0.0.2");

        Assert.Equal("10.0.0.2", ProvidedValue.Extract(result, "ip", 0, 2));
    }

    [Fact]
    public void Extract_DictionaryWithoutKey_ThrowsListingKeys()
    {
        var result = new Dictionary<string, int> { ["a"] = 1 };

        var error = Assert.Throws<InvalidOperationException>(() => ProvidedValue.Extract(result, "b", 1, 2));

        Assert.Contains("'b'", error.Message);
        Assert.Contains("keys: a", error.Message);
    }

    [Fact]
    public void Extract_List_TakesByPosition()
    {
        var result = new List<string> { "first", "second" };

        Assert.Equal("second", ProvidedValue.Extract(result, "y", 1, 2));
    }

    [Fact]
    public void Extract_Array_TakesByPosition()
    {
        var result = new[] { 3, 4 };

        Assert.Equal(3, ProvidedValue.Extract(result, "x", 0, 2));
    }

    [Fact]
    public void Extract_ListTooShort_Throws()
    {
        var result = new List<int> { 1 };

        var error = Assert.Throws<InvalidOperationException>(() => ProvidedValue.Extract(result, "y", 1, 2));

        Assert.Contains("the list has 1 items", error.Message);
    }

    [Fact]
    public void Extract_Record_TakesPropertyCaseInsensitively()
    {
        var result = new Server("10.0.0.3", 8080);

        Assert.Equal("10.0.0.3", ProvidedValue.Extract(result, "ip", 0, 2));
        Assert.Equal(8080, ProvidedValue.Extract(result, "Port", 1, 2));
    }

    [Fact]
    public void Extract_RecordWithoutProperty_ThrowsNamingNameAndType()
    {
        var result = new Server("10.0.0.3", 8080);

        var error = Assert.Throws<InvalidOperationException>(() => ProvidedValue.Extract(result, "host", 0, 2));

        Assert.Contains("'host'", error.Message);
        Assert.Contains(typeof(Server).FullName!, error.Message);
    }

    [Fact]
    public void Extract_NullWithSeveralNames_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProvidedValue.Extract(null, "a", 0, 2));

        Assert.Contains("returned null", error.Message);
    }

    [Fact]
    public void Extract_ScalarWithSeveralNames_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProvidedValue.Extract(42, "a", 0, 2));

        Assert.Contains("System.Int32", error.Message);
    }

    private sealed class ReadOnlyOnlyDictionary(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => inner[key];

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<string> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key) => inner.ContainsKey(key);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();

        public bool TryGetValue(string key, out string value) => inner.TryGetValue(key, out value!);

        IEnumerator IEnumerable.GetEnumerator() => inner.GetEnumerator();
    }
}
