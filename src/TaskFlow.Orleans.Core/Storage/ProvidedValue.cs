using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace TaskFlow.Orleans.Core.Storage;

/// <summary>Splits a task result over the names it provides (TaskFlow's <c>provides=('a', 'b')</c>).</summary>
internal static class ProvidedValue
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    /// <summary>The value stored under one provided name.</summary>
    /// <remarks>
    /// With one provided name the whole result is stored. With several, the value is taken from the result, in
    /// this order: a dictionary with string keys, by key <paramref name="name"/>; a tuple
    /// (<see cref="ITuple"/>), by position <paramref name="index"/>; a list, by position; else a public property
    /// named <paramref name="name"/> (case-insensitive), as for a record.
    /// </remarks>
    /// <param name="result">The task's result.</param>
    /// <param name="name">The provided name.</param>
    /// <param name="index">Its position among the provided names; -1 when it is the only one.</param>
    /// <param name="count">How many names the task provides.</param>
    /// <returns>The value for <paramref name="name"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The result has no value for <paramref name="name"/>.</exception>
    public static object? Extract(object? result, string name, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (count <= 1)
        {
            return result;
        }

        if (result is null)
        {
            throw new InvalidOperationException(
                $"Cannot take '{name}' from the result: the task provides {count} names but returned null. " +
                "Return a tuple, list, dictionary or record with a value for each provided name.");
        }

        var shape = Shapes.GetOrAdd(result.GetType(), static type => new Shape(type));
        switch (shape.Kind)
        {
            case ShapeKind.Dictionary:
                var dictionary = (IDictionary)result;
                if (dictionary.Contains(name))
                {
                    return dictionary[name];
                }

                throw Missing(name, result, $"it has no key '{name}' (keys: {string.Join(", ", dictionary.Keys.Cast<object>())})");
            case ShapeKind.ReadOnlyDictionary:
                return shape.TryGetByKey!(result, name, out var found)
                    ? found
                    : throw Missing(name, result, $"it has no key '{name}'");
            case ShapeKind.Tuple:
                var tuple = (ITuple)result;
                return (uint)index < (uint)tuple.Length
                    ? tuple[index]
                    : throw Missing(name, result, $"'{name}' is provided name {index + 1} of {count} but the tuple has {tuple.Length} items");
            case ShapeKind.List:
                var list = (IList)result;
                return (uint)index < (uint)list.Count
                    ? list[index]
                    : throw Missing(name, result, $"'{name}' is provided name {index + 1} of {count} but the list has {list.Count} items");
            default:
                return shape.Properties.TryGetValue(name, out var property)
                    ? property.GetValue(result)
                    : throw Missing(name, result, $"it is not a tuple, list or dictionary and has no public property named '{name}'");
        }
    }

    private static InvalidOperationException Missing(string name, object result, string why) => new(
        $"Cannot take provided name '{name}' from a result of type {result.GetType().FullName}: {why}. " +
        "Make the result provide it, or change the task's provides.");

    private enum ShapeKind
    {
        Dictionary,
        ReadOnlyDictionary,
        Tuple,
        List,
        Object,
    }

    private delegate bool TryGetByKey(object dictionary, string key, out object? value);

    /// <summary>How values are taken from results of one type; computed once per type.</summary>
    private sealed class Shape
    {
        public Shape(Type type)
        {
            Properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
            var stringKeyed = StringKeyedValueType(type, typeof(IDictionary<,>)) is not null;
            if (typeof(IDictionary).IsAssignableFrom(type) && (stringKeyed || !IsGenericDictionary(type)))
            {
                Kind = ShapeKind.Dictionary;
            }
            else if (StringKeyedValueType(type, typeof(IReadOnlyDictionary<,>)) is { } valueType)
            {
                Kind = ShapeKind.ReadOnlyDictionary;
                TryGetByKey = typeof(Shape).GetMethod(nameof(TryGetFromReadOnly), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(valueType)
                    .CreateDelegate<TryGetByKey>();
            }
            else if (typeof(ITuple).IsAssignableFrom(type))
            {
                Kind = ShapeKind.Tuple;
            }
            else if (typeof(IList).IsAssignableFrom(type))
            {
                Kind = ShapeKind.List;
            }
            else
            {
                Kind = ShapeKind.Object;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null)
                    {
                        // A derived property hides a base one of the same name: keep the first (most derived).
                        Properties.TryAdd(property.Name, property);
                    }
                }
            }
        }

        public ShapeKind Kind { get; }

        public Dictionary<string, PropertyInfo> Properties { get; }

        public TryGetByKey? TryGetByKey { get; }

        private static bool TryGetFromReadOnly<TValue>(object dictionary, string key, out object? value)
        {
            var found = ((IReadOnlyDictionary<string, TValue>)dictionary).TryGetValue(key, out var typed);
            value = typed;
            return found;
        }

        private static bool IsGenericDictionary(Type type) =>
            type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));

        private static Type? StringKeyedValueType(Type type, Type dictionaryInterface)
        {
            foreach (var candidate in type.GetInterfaces().Prepend(type))
            {
                if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == dictionaryInterface
                    && candidate.GetGenericArguments()[0] == typeof(string))
                {
                    return candidate.GetGenericArguments()[1];
                }
            }

            return null;
        }
    }
}
