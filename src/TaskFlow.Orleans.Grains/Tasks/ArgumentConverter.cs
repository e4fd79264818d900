using System.Globalization;

namespace TaskFlow.Orleans.Grains.Tasks;

/// <summary>
/// Fits an argument value to a parameter type. Values that already fit pass through untouched; primitives,
/// strings and enums are converted leniently with the invariant culture, because arguments often arrive as
/// <c>long</c> or <c>string</c> from JSON and command lines where the task declares <c>int</c>.
/// </summary>
internal static class ArgumentConverter
{
    /// <summary>Returns <paramref name="value"/> as a <paramref name="type"/>, converting primitives when needed.</summary>
    /// <param name="value">The value to pass.</param>
    /// <param name="type">The parameter type.</param>
    /// <param name="acceptsNull">Whether the parameter type can hold null.</param>
    /// <param name="taskName">The task, for error messages.</param>
    /// <param name="what">What the value is, for error messages, e.g. <c>argument 'x'</c>.</param>
    /// <returns>The value to pass.</returns>
    /// <exception cref="ArgumentException">The value does not fit and cannot be converted.</exception>
    public static object? Coerce(object? value, Type type, bool acceptsNull, string taskName, string what)
    {
        if (value is null)
        {
            return acceptsNull
                ? null
                : throw new ArgumentException(
                    $"Task '{taskName}' {what} expects {TypeDisplay.Of(type)} but got null. Pass a value, or make the parameter nullable ({TypeDisplay.Of(type)}?).");
        }

        var valueType = value.GetType();
        if (valueType == type || type.IsAssignableFrom(valueType))
        {
            return value;
        }

        return Convert(value, valueType, type, taskName, what);
    }

    private static object Convert(object value, Type valueType, Type type, string taskName, string what)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var convertible = target.IsEnum
            ? value is string || IsIntegral(Type.GetTypeCode(valueType))
            : IsConvertibleTarget(target) && value is IConvertible;
        if (!convertible)
        {
            throw new ArgumentException(
                $"Task '{taskName}' {what} expects {TypeDisplay.Of(type)} but got {TypeDisplay.Of(valueType)}. " +
                "Pass a value of that type (only numbers, strings, booleans and enums are converted), or change the parameter type.");
        }

        if (IsIntegral(Type.GetTypeCode(target)) && !target.IsEnum && IsNonIntegral(value))
        {
            // Convert.ChangeType would round 2.5 to 2; a silently changed number is worse than an error.
            throw new ArgumentException(
                $"Task '{taskName}' {what} expects {TypeDisplay.Of(type)} but got {TypeDisplay.Of(valueType)} {Preview(value)}, " +
                "which is not a whole number. Pass a whole number, or change the parameter type.");
        }

        try
        {
            if (target.IsEnum)
            {
                return value is string text ? Enum.Parse(target, text, ignoreCase: true) : Enum.ToObject(target, value);
            }

            return System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException or ArgumentException)
        {
            throw new ArgumentException(
                $"Task '{taskName}' {what} expects {TypeDisplay.Of(type)} but got {TypeDisplay.Of(valueType)} {Preview(value)}, " +
                $"which cannot be converted: {ex.Message}", ex);
        }
    }

    private static bool IsConvertibleTarget(Type type) => Type.GetTypeCode(type) is not (TypeCode.Object or TypeCode.Empty or TypeCode.DBNull);

    private static bool IsIntegral(TypeCode code) => code is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16
        or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;

    private static bool IsNonIntegral(object value) => value switch
    {
        double d => d != Math.Truncate(d),
        float f => f != MathF.Truncate(f),
        decimal m => m != decimal.Truncate(m),
        _ => false,
    };

    private static string Preview(object value)
    {
        var text = System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (text.Length > 40)
        {
            text = text[..40] + "…";
        }

        return value is string ? $"\"{text}\"" : $"'{text}'";
    }
}
