/**
 * QueueMed's MCP server for AI agents (issue 18) over stdio (`npm run mcp`). The tools are defined once in
 * scripts/mcpServer.ts and also served over streamable HTTP by the edge function `mcp`.
 *
 *   QUEUEMED_API_URL=https://<project>.supabase.co/functions/v1/api QUEUEMED_API_KEY=qmk_… npm run mcp
 */
import { pathToFileURL } from 'node:url';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from './mcpServer';

export { createMcpServer, type McpOptions } from './mcpServer';

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const apiUrl = process.env['QUEUEMED_API_URL'];
  const apiKey = process.env['QUEUEMED_API_KEY'];
  if (!apiUrl || !apiKey) {
    process.stderr.write('QUEUEMED_API_URL and QUEUEMED_API_KEY are required\n');
    process.exit(2);
  }
  await createMcpServer({ apiUrl, apiKey }).connect(new StdioServerTransport());
}
