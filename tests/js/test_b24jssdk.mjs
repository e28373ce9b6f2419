// The portal vendor's official JavaScript SDK, @bitrix24/b24jssdk, used unchanged
// against `offboard serve` over TLS through a webhook URL: server.time, the `time`
// block's operating / operating_reset_at (the SDK's rate limiter reads them), and list
// paging (offset pages with getNext, callList and fetchList, and the older
// callListMethod / fetchListMethod).
//
// Run by tests/b24jssdk.rs, which installs the SDK into a folder under target/, builds
// the company, starts the server with a self-signed certificate (trusted here through
// NODE_EXTRA_CA_CERTS) and passes:
//
//   B24JSSDK_DIR      the folder the SDK is installed in (its package.json)
//   B24_WEBHOOK_URL   a webhook with the user scope
//   B24_ACTIVE_IDS    a file with the IDs of the active employees, as JSON
//
// Every check prints PASS or FAIL; the last line is "N passed, M failed".

import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const sdkDir = process.env.B24JSSDK_DIR
const { B24Hook, ApiVersion } = createRequire(join(sdkDir, 'package.json'))('@bitrix24/b24jssdk')

const url = process.env.B24_WEBHOOK_URL
const want = JSON.parse(readFileSync(process.env.B24_ACTIVE_IDS, 'utf8')).map(Number).sort((a, b) => a - b)
/** No check may take longer (a server that ignores the paging filter makes a list never end). */
const CHECK_TIMEOUT_MS = 20_000

let passed = 0
let failed = 0

class Failed extends Error {}

function expect(cond, what) {
  if (!cond) throw new Failed(what)
}

function short(value, limit = 400) {
  const text = JSON.stringify(value)
  return text === undefined || text.length <= limit ? String(text) : text.slice(0, limit) + '…'
}

function describe(e) {
  if (e instanceof Failed) return e.message
  const code = e?.code ? ` [${e.code}${e.status ? ` HTTP ${e.status}` : ''}]` : ''
  return `${e?.name ?? 'Error'}${code}: ${e?.message ?? e}`
}

async function check(name, fn) {
  let timer
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Failed(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS)
      })
    ])
    passed++
    console.log(`PASS ${name}`)
  } catch (e) {
    failed++
    console.log(`FAIL ${name}: ${describe(e)}`)
  } finally {
    clearTimeout(timer)
  }
}

/** Every active employee exactly once, and nothing else. */
function exactlyOnce(users, what) {
  expect(Array.isArray(users), `${what}: not a list: ${short(users)}`)
  const ids = users.map(u => Number(u?.ID))
  const seen = new Set()
  const dups = new Set()
  for (const id of ids) (seen.has(id) ? dups : seen).add(id)
  expect(dups.size === 0, `${what}: ${ids.length} users, ${dups.size} IDs more than once, e.g. ${[...dups].slice(0, 10)}`)
  const missing = want.filter(id => !seen.has(id))
  const extra = [...seen].filter(id => !want.includes(id))
  expect(
    missing.length === 0 && extra.length === 0,
    `${what}: got ${ids.length} users, expected ${want.length}; missing ${missing.length} (e.g. ${missing.slice(0, 10)}), extra ${extra.length} (e.g. ${extra.slice(0, 10)})`
  )
  return ids
}

/** An AjaxResult's payload, or Failed with its errors. */
function payload(result, what) {
  expect(result?.isSuccess, `${what} failed: ${short(result?.getErrorMessages?.())}`)
  return result.getData()
}

const b24 = B24Hook.fromWebhookUrl(url)
b24.offClientSideWarning()

await check(`the database has more than 50 active employees (${want.length})`, async () => {
  expect(want.length > 50, `only ${want.length}; paging needs more than 50`)
})

await check('server.time answers the server\'s time as an ISO 8601 date', async () => {
  const data = payload(await b24.actions.v2.call.make({ method: 'server.time' }), 'server.time')
  const at = Date.parse(data.result)
  expect(typeof data.result === 'string' && !Number.isNaN(at), `result is not a date: ${short(data)}`)
  expect(Math.abs(at - Date.now()) < 120_000, `server.time ${data.result} is far from now ${new Date().toISOString()}`)
})

await check('an answer\'s time block carries operating and operating_reset_at, and the SDK\'s limiter reads them', async () => {
  const data = payload(await b24.actions.v2.call.make({ method: 'user.current' }), 'user.current')
  const time = data.time ?? {}
  expect(typeof time.operating === 'number' && time.operating >= 0, `operating in ${short(time)}`)
  expect(
    typeof time.operating_reset_at === 'number' && time.operating_reset_at >= Math.floor(time.start ?? 0),
    `operating_reset_at (a Unix time, not before the call started) in ${short(time)}`
  )
  expect(time.operating <= (time.processing ?? time.duration ?? 0) + 600, `operating is implausible: ${short(time)}`)
  // What the SDK's operating limiter made of it (its statistics, keyed by method).
  const stats = b24.getHttpClient(ApiVersion.v2).getStats()
  expect(
    stats?.operatingStats && 'user.current' in stats.operatingStats,
    `the SDK's operating limiter recorded nothing for user.current: ${short(stats)}`
  )
})

await check('server.time through the deprecated callMethod', async () => {
  const data = payload(await b24.callMethod('server.time'), 'callMethod(server.time)')
  expect(!Number.isNaN(Date.parse(data.result)), `result is not a date: ${short(data)}`)
})

await check('user.get pages by offset: isMore, getTotal and getNext through every page', async () => {
  const http = b24.getHttpClient(ApiVersion.v2)
  let page = await b24.actions.v2.call.make({ method: 'user.get', params: { order: { ID: 'ASC' } } })
  payload(page, 'user.get')
  expect(page.getTotal() === want.length, `getTotal() is ${page.getTotal()}, expected ${want.length}`)
  const users = [...page.getData().result]
  let pages = 1
  while (page.isMore()) {
    expect(pages <= want.length / 50 + 2, `more than ${pages} pages`)
    page = await page.getNext(http)
    expect(page, 'getNext() gave no page although isMore() was true')
    users.push(...payload(page, `page ${pages + 1}`).result)
    pages++
  }
  exactlyOnce(users, 'offset pages')
})

await check('actions.v2.callList (filter >ID, order ID, start=-1) returns every active employee once', async () => {
  const result = await b24.actions.v2.callList.make({ method: 'user.get', params: {}, idKey: 'ID' })
  expect(result.isSuccess, `callList failed: ${short(result.getErrorMessages())}`)
  exactlyOnce(result.getData(), 'callList(user.get)')
})

await check('actions.v2.fetchList yields pages of at most 50 covering every active employee once', async () => {
  const users = []
  let pages = 0
  for await (const chunk of b24.actions.v2.fetchList.make({ method: 'user.get', idKey: 'ID' })) {
    pages++
    expect(Array.isArray(chunk) && chunk.length <= 50, `page ${pages}: ${chunk?.length} items`)
    users.push(...chunk)
    expect(users.length <= 2 * want.length + 50, `more than ${users.length} users: paging does not end`)
  }
  const ids = exactlyOnce(users, 'fetchList(user.get)')
  expect(ids.every((id, i) => i === 0 || ids[i - 1] < id), 'fetchList is not in ascending ID order')
})

await check('the deprecated callListMethod returns every active employee once', async () => {
  const result = await b24.callListMethod('user.get', {})
  expect(result.isSuccess, `callListMethod failed: ${short(result.getErrorMessages())}`)
  exactlyOnce(result.getData(), 'callListMethod(user.get)')
})

await check('the deprecated fetchListMethod covers every active employee once', async () => {
  const users = []
  for await (const chunk of b24.fetchListMethod('user.get', {}, 'ID')) {
    users.push(...chunk)
    expect(users.length <= 2 * want.length + 50, `more than ${users.length} users: paging does not end`)
  }
  exactlyOnce(users, 'fetchListMethod(user.get)')
})

console.log(`${passed} passed, ${failed} failed`)
// A list that never ends may still be paging in the background: stop here.
process.exit(failed ? 1 : 0)
