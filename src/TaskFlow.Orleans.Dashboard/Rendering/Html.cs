using System.Text;
using System.Text.Encodings.Web;

namespace TaskFlow.Orleans.Dashboard.Rendering;

/// <summary>
/// Writes HTML where every string is encoded unless it is passed to <see cref="Raw"/>: flow and atom names, inputs, results and
/// exception messages come from users, and none of them may become markup. Attribute values are encoded the same way.
/// </summary>
internal sealed class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;
    private readonly StringBuilder _text = new(16 * 1024);

    /// <summary>Writes text, encoded.</summary>
    public Html Text(string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            Encoder.Encode(new StringWriter(_text), text);
        }

        return this;
    }

    /// <summary>Writes trusted markup as it is: only the dashboard's own constant markup or markup that encoded its strings
    /// itself (the graph's SVG).</summary>
    public Html Raw(string markup)
    {
        _text.Append(markup);
        return this;
    }

    /// <summary>Opens an element with attributes (a null value leaves the attribute out; an empty one writes it bare).</summary>
    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _text.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }

            _text.Append(' ').Append(name);
            if (value.Length > 0)
            {
                _text.Append("=\"");
                Text(value);
                _text.Append('"');
            }
        }

        _text.Append('>');
        return this;
    }

    /// <summary>Closes an element.</summary>
    public Html Close(string tag)
    {
        _text.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element holding encoded text.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes) =>
        Open(tag, attributes).Text(text).Close(tag);

    /// <summary>A link.</summary>
    public Html Link(string href, string? text, string? cssClass = null) =>
        Element("a", text, ("href", href), ("class", cssClass));

    /// <summary>The markup written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Encodes a value for a URL's path segment or query.</summary>
    public static string Url(string value) => Uri.EscapeDataString(value);
}
