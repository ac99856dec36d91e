using System.Data.Common;
using BotEngine.Storage;

namespace BotEngine.Engine.Pipeline;

/// <summary>
/// Lets a channel write its own record of the inbound activity in the same transaction (Direct Line's echo): added to
/// <paramref name="batch"/>, which stores the message and runs after it (one round trip on PostgreSQL), or written at
/// once through the connection.
/// </summary>
public delegate Task InboundEcho(DbConnection connection, DbTransaction transaction, SqlBatch batch, StoredActivity stored, long seq);
