namespace BotEngine.KnowledgeBase;

/// <summary>The whole knowledge base as one JSON document: the export/import format and the demo KB format.</summary>
public sealed class KbDocument
{
    public int Version { get; set; } = 1;
    public List<RecordType> RecordTypes { get; set; } = [];
    public List<Topic> Topics { get; set; } = [];
    public List<SlotDefinition> Slots { get; set; } = [];
    public List<ExternalAgent> Agents { get; set; } = [];
    public List<BusinessCalendar> Calendars { get; set; } = [];
    public List<Article> Articles { get; set; } = [];
    public KbSettings Settings { get; set; } = new();
}

public sealed class RecordType
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>A dialog topic (the topic classifier's label). Articles name topics by id.</summary>
public sealed class Topic
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
}

public sealed class Article
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public string? RecordType { get; set; }
    /// <summary>"When the user asks": the classifier's training phrasings.</summary>
    public List<string> Questions { get; set; } = [];
    public ArticleAccess Access { get; set; } = new();
    public List<string> Topics { get; set; } = [];
    public MessagePolicy MessagePolicy { get; set; } = MessagePolicy.All;
    /// <summary>Slot ids asked in this order before the answers are sent; a non-empty list makes the article a scenario.</summary>
    public List<string> Slots { get; set; } = [];
    public List<Answer> Answers { get; set; } = [];
}

/// <summary>Where an article may be offered. An empty list means "any".</summary>
public sealed class ArticleAccess
{
    public List<string> CallCentres { get; set; } = [];
    public List<string> Languages { get; set; } = [];
    public List<string> Lines { get; set; } = [];
    public List<string> Skills { get; set; } = [];
}

[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnumConverter<MessagePolicy>))]
public enum MessagePolicy
{
    /// <summary>Every answer whose conditions hold, in order.</summary>
    All,
    /// <summary>The first answer whose conditions hold.</summary>
    First,
    /// <summary>One random answer among those whose conditions hold.</summary>
    Random,
}

public sealed class Answer
{
    /// <summary>
    /// Markdown; <c>{{slotId}}</c> is replaced by the slot's value. A text starting with '/' is a command:
    /// <c>/operator [LINE] [skills=A,B]</c>, <c>/redirect AGENT_ID</c>, <c>/close</c>.
    /// </summary>
    public string Text { get; set; } = "";
    public List<AnswerButton> Buttons { get; set; } = [];
    public List<AnswerAttachment> Attachments { get; set; } = [];
    /// <summary>All must hold for the answer to be sent; empty means always.</summary>
    public List<AnswerCondition> Conditions { get; set; } = [];
}

public sealed class AnswerButton
{
    public string Label { get; set; } = "";
    /// <summary>Target article id. In the KB exactly one of <see cref="Article"/> and <see cref="Url"/> is set.</summary>
    public string? Article { get; set; }
    public string? Url { get; set; }
    /// <summary>
    /// Set only on buttons the runner makes (dictionary slot options, yes/no): the engine returns it as
    /// <see cref="ClientInput.Payload"/> when the button is pressed. Never stored in the KB.
    /// </summary>
    public string? Value { get; set; }
}

public sealed class AnswerAttachment
{
    public string Name { get; set; } = "";
    public string ContentType { get; set; } = "application/octet-stream";
    /// <summary>A link. In the KB exactly one of <see cref="Url"/> and <see cref="FileId"/> is set.</summary>
    public string? Url { get; set; }
    /// <summary>A file stored by the engine (its id from the upload); the engine serves it and links to it.</summary>
    public string? FileId { get; set; }
}

public sealed class AnswerCondition
{
    public string Slot { get; set; } = "";
    public ConditionOperator Operator { get; set; } = ConditionOperator.Equals;
    /// <summary>Compared with the slot's stored value (a dictionary slot stores the item id); unused by filled/empty.</summary>
    public string? Value { get; set; }
}

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

public sealed class KbSettings
{
    /// <summary>Language code to the article sent when a dialog starts.</summary>
    public Dictionary<string, string> GreetingArticle { get; set; } = [];
    /// <summary>Language code to the text sent when the bot found no confident answer.</summary>
    public Dictionary<string, string> FallbackText { get; set; } = [];
    /// <summary>Language code to the text sent when the dialog is handed to operators.</summary>
    public Dictionary<string, string> HandoffText { get; set; } = [];
    /// <summary>Language code to the text sent when the client cancels a scenario; a built-in text when missing.</summary>
    public Dictionary<string, string> CancelText { get; set; } = [];
    /// <summary>The bot answers when the best article's confidence reaches this (0..1); the engine's Knowledge:MinConfidence when unset.</summary>
    public double? MinConfidence { get; set; }
}
