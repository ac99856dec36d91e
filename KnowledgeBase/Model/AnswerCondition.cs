namespace BotEngine.KnowledgeBase;

public sealed class AnswerCondition
{
    public string Slot { get; set; } = "";
    public ConditionOperator Operator { get; set; } = ConditionOperator.Equals;
    /// <summary>Compared with the slot's stored value (a dictionary slot stores the item id); unused by filled/empty.</summary>
    public string? Value { get; set; }
}
