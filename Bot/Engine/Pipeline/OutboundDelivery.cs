using System.Data.Common;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

public sealed record OutboundDelivery(string MessageId, string ConversationId, string Channel, string ActivityJson);
