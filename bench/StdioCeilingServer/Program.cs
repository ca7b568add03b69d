using System.Text;
using System.Text.Json;

// The stdio ceiling for bench/load/run.sh: what the same client achieves against a process that does nothing but
// answer. It reads newline-delimited JSON-RPC from stdin, picks out "id" and "method" with a Utf8JsonReader, and writes
// a canned initialize result or a canned tools/call result (flushed per message, as a real server must).
var input = Console.OpenStandardInput();
var output = Console.OpenStandardOutput();
var buffer = new byte[1 << 16];
int start = 0, end = 0;
byte[] initialize = Encoding.UTF8.GetBytes("""{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"stdio-ceiling","version":"1.0.0"}}""");
byte[] echo = Encoding.UTF8.GetBytes("""{"content":[{"type":"text","text":"hello"}]}""");
var response = new MemoryStream();
while (true)
{
    int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
    if (newline < 0)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        int read = input.Read(buffer, end, buffer.Length - end);
        if (read == 0)
        {
            return;
        }

        end += read;
        continue;
    }

    var line = new ReadOnlySpan<byte>(buffer, start, newline - start);
    start = newline + 1;
    var reader = new Utf8JsonReader(line);
    ReadOnlySpan<byte> id = default;
    bool isInitialize = false;
    reader.Read();
    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
    {
        if (reader.ValueTextEquals("id"u8))
        {
            reader.Read();
            id = line.Slice((int)reader.TokenStartIndex, reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length + 2 : reader.ValueSpan.Length);
        }
        else if (reader.ValueTextEquals("method"u8))
        {
            reader.Read();
            isInitialize = reader.ValueTextEquals("initialize"u8);
        }
        else
        {
            reader.Read();
            reader.Skip();
        }
    }

    if (id.IsEmpty)
    {
        continue; // a notification
    }

    response.SetLength(0);
    response.Write("""{"jsonrpc":"2.0","id":"""u8);
    response.Write(id);
    response.Write(""","result":"""u8);
    response.Write(isInitialize ? initialize : echo);
    response.Write("}\n"u8);
    output.Write(response.GetBuffer(), 0, (int)response.Length);
    output.Flush();
}
