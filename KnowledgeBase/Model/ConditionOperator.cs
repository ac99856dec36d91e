namespace BotEngine.KnowledgeBase;

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<ConditionOperator>))]
public enum ConditionOperator
{
    Equals,
    NotEquals,
    Filled,
    Empty,
    /// <summary>Value is a regular expression searched in the slot value.</summary>
    Matches,
    /// <summary>Numeric comparison; false when either side is not a number.</summary>
    GreaterThan,
    LessThan,
}
