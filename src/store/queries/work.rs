//! SQL for work: owned and history.

use super::*;

/// How many tasks `id` is responsible for, open or done: the one large count a
/// profile needs, made once and shared by `owned_given` and `history_given`.
/// It is read from the counts kept beside the tasks (migration 12), so a profile costs
/// the same for the owner of two million tasks as for the owner of two.
pub fn responsible_total(c: &Connection, id: EmployeeId) -> Result<i64> {
    Ok(work_tally(c, id)?[0])
}

/// What `id` owns as kept in `work_counts` (migration 12): (responsible for, of those
/// done, open CRM items, files, mailboxes).
fn work_tally(c: &Connection, id: EmployeeId) -> Result<[i64; 5]> {
    Ok(c.prepare_cached(
        "SELECT coalesce(max(responsible), 0), coalesce(max(done), 0), coalesce(max(crm_open), 0), \
         coalesce(max(files), 0), coalesce(max(mailboxes), 0) FROM work_counts WHERE employee_id = ?1",
    )?
    .query_row([id], |r| {
        Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
    })?)
}

/// How much work moved from one employee to another, in the terms of `work_counts`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WorkDelta {
    pub responsible: i64,
    pub done: i64,
    pub crm_open: i64,
    pub files: i64,
    pub mailboxes: i64,
}

/// Move `d` in the counts from `from` to `to`: what every statement that hands work to
/// someone else does in the same transaction.
pub(crate) fn move_work_counts(
    c: &Connection,
    from: EmployeeId,
    to: EmployeeId,
    d: WorkDelta,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    let args = params![
        from,
        d.responsible,
        d.done,
        d.crm_open,
        d.files,
        d.mailboxes
    ];
    c.prepare_cached(
        "UPDATE work_counts SET responsible = responsible - ?2, done = done - ?3, \
         crm_open = crm_open - ?4, files = files - ?5, mailboxes = mailboxes - ?6 \
         WHERE employee_id = ?1",
    )?
    .execute(args)?;
    c.prepare_cached(
        "INSERT INTO work_counts (employee_id, responsible, done, crm_open, files, mailboxes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (employee_id) DO UPDATE SET responsible = responsible + excluded.responsible, \
         done = done + excluded.done, crm_open = crm_open + excluded.crm_open, \
         files = files + excluded.files, mailboxes = mailboxes + excluded.mailboxes",
    )?
    .execute(params![
        to,
        d.responsible,
        d.done,
        d.crm_open,
        d.files,
        d.mailboxes
    ])?;
    Ok(())
}

/// Count everyone's work again (`work_counts`), after rows were written without the
/// counts (a bulk load).
pub fn recount_work(c: &Connection) -> Result<()> {
    c.execute_batch(&format!(
        "DELETE FROM work_counts; \
         INSERT INTO work_counts (employee_id, responsible, done, crm_open, files, mailboxes) \
         SELECT who, sum(r), sum(d), sum(c), sum(f), sum(m) FROM ( \
           SELECT responsible_id AS who, count(*) AS r, sum(status = 'done') AS d, 0 AS c, 0 AS f, 0 AS m \
             FROM tasks GROUP BY 1 \
           UNION ALL SELECT assigned_id, 0, 0, count(*), 0, 0 FROM crm_items WHERE {crm} GROUP BY 1 \
           UNION ALL SELECT owner_id, 0, 0, 0, count(*), 0 FROM files GROUP BY 1 \
           UNION ALL SELECT owner_id, 0, 0, 0, 0, count(*) FROM mailboxes GROUP BY 1 \
         ) WHERE who IS NOT NULL GROUP BY who;",
        crm = crm_open_clause()
    ))?;
    Ok(())
}

/// Count the employees by status and department again (`employee_counts`), after rows
/// were written with the triggers set aside (a bulk load).
pub fn recount_employees(c: &Connection) -> Result<()> {
    c.execute_batch(
        "DELETE FROM employee_counts; \
         INSERT INTO employee_counts (status, department_id, n) \
         SELECT status, coalesce(department_id, 0), count(*) FROM employees \
         WHERE kind = 'employee' GROUP BY 1, 2;",
    )?;
    Ok(())
}

/// Open tasks (open or in progress) of the employee whose id is the SQL `who`.
pub(super) fn open_tasks_expr(who: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM tasks WHERE responsible_id = {who} AND status IN ('open', 'in_progress'))"
    )
}

/// Open CRM items, files and mailboxes of the employee whose id is the SQL `who`, as
/// three counts: with `open_tasks_expr`, the one definition of what someone still owns
/// that profiles, the backlog and the export all count by.
pub(super) fn owned_rest_exprs(who: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM crm_items WHERE assigned_id = {who} AND {crm}), \
         (SELECT COUNT(*) FROM files WHERE owner_id = {who}), \
         (SELECT COUNT(*) FROM mailboxes WHERE owner_id = {who}), \
         (SELECT COUNT(*) FROM meetings WHERE organizer_id = {who} AND starts_at > {now})",
        crm = crm_open_clause(),
        now = SQL_NOW
    )
}

/// The moment now, as the database keeps moments: future meetings start after it.
pub(super) const SQL_NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// The five counts of `Owned`, from column `at` on.
pub(super) fn owned_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Owned> {
    Ok(Owned {
        tasks: r.get(at)?,
        crm_items: r.get(at + 1)?,
        files: r.get(at + 2)?,
        mailboxes: r.get(at + 3)?,
        meetings: r.get(at + 4)?,
    })
}

pub fn owned(c: &Connection, id: EmployeeId) -> Result<Owned> {
    let sql = format!(
        "SELECT {}, {}",
        open_tasks_expr("?1"),
        owned_rest_exprs("?1")
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([id], |r| owned_at(r, 0))?)
}

/// What `id` owns, given how many tasks they are responsible for in all.
pub fn owned_given(c: &Connection, id: EmployeeId, responsible: i64) -> Result<Owned> {
    // Open tasks are all of theirs minus the done ones; with the open CRM items, files
    // and mailboxes, kept in `work_counts`. Future meetings depend on the hour: counted.
    let [_, done, crm_items, files, mailboxes] = work_tally(c, id)?;
    let meetings: i64 = c
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM meetings WHERE organizer_id = ?1 AND starts_at > {SQL_NOW}"
        ))?
        .query_row([id], |r| r.get(0))?;
    Ok(Owned {
        tasks: responsible - done,
        crm_items,
        files,
        mailboxes,
        meetings,
    })
}
pub fn history(c: &Connection, id: EmployeeId) -> Result<History> {
    let total = responsible_total(c, id)?;
    history_given(c, id, total)
}

/// What `id` took part in, given how many tasks they are responsible for in all.
pub fn history_given(c: &Connection, id: EmployeeId, responsible: i64) -> Result<History> {
    // Each task counted once: as responsible, else as creator, else as participant,
    // else as the one who handed it over.
    Ok(c.prepare_cached(
        "SELECT \
         ?2 + (SELECT COUNT(*) FROM tasks WHERE creator_id = ?1 AND responsible_id != ?1) \
           + (SELECT COUNT(*) FROM task_participants p JOIN tasks t ON t.id = p.task_id \
              WHERE p.employee_id = ?1 AND t.responsible_id != ?1 AND t.creator_id != ?1) \
           + (SELECT COUNT(*) FROM tasks t WHERE t.former_responsible_id = ?1 \
              AND t.responsible_id != ?1 AND t.creator_id != ?1 \
              AND NOT EXISTS (SELECT 1 FROM task_participants p \
                              WHERE p.task_id = t.id AND p.employee_id = ?1)), \
         (SELECT COUNT(*) FROM messages WHERE author_id = ?1), \
         (SELECT COUNT(*) FROM meetings WHERE organizer_id = ?1) \
           + (SELECT COUNT(*) FROM meeting_attendees WHERE employee_id = ?1) \
           - (SELECT COUNT(*) FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id \
              WHERE m.organizer_id = ?1 AND a.employee_id = ?1), \
         (SELECT COUNT(*) FROM feed_posts WHERE author_id = ?1), \
         (SELECT COUNT(*) FROM group_members WHERE employee_id = ?1)",
    )?
    .query_row(params![id, responsible], |r| {
        Ok(History {
            tasks: r.get(0)?,
            messages: r.get(1)?,
            meetings: r.get(2)?,
            feed_posts: r.get(3)?,
            groups: r.get(4)?,
        })
    })?)
}

/// Move what `from` still owns to `to`, set-based. Returns the counts moved.
pub fn reassign(
    c: &Connection,
    from: EmployeeId,
    to: EmployeeId,
    what: WorkKinds,
) -> Result<Owned> {
    let mut moved = Owned::default();
    if what.tasks {
        moved.tasks = c.execute(
            "UPDATE tasks SET responsible_id = ?2, former_responsible_id = ?1 \
             WHERE responsible_id = ?1 AND status != 'done'",
            params![from, to],
        )? as i64;
    }
    if what.crm {
        moved.crm_items = c.execute(
            &format!(
                "UPDATE crm_items SET assigned_id = ?2 WHERE assigned_id = ?1 AND {}",
                crm_open_clause()
            ),
            params![from, to],
        )? as i64;
    }
    if what.files {
        moved.files = c.execute(
            "UPDATE files SET owner_id = ?2 WHERE owner_id = ?1",
            params![from, to],
        )? as i64;
    }
    if what.mail {
        moved.mailboxes = c.execute(
            "UPDATE mailboxes SET owner_id = ?2 WHERE owner_id = ?1",
            params![from, to],
        )? as i64;
    }
    move_work_counts(
        c,
        from,
        to,
        WorkDelta {
            responsible: moved.tasks,
            done: 0,
            crm_open: moved.crm_items,
            files: moved.files,
            mailboxes: moved.mailboxes,
        },
    )?;
    if what.meetings {
        // Only what has not started: a past meeting stays as it was, history.
        moved.meetings = c.execute(
            &format!(
                "UPDATE meetings SET organizer_id = ?2 WHERE organizer_id = ?1 AND starts_at > {SQL_NOW}"
            ),
            params![from, to],
        )? as i64;
    }
    Ok(moved)
}

/// A page of the conversation between two people, newest first.
pub fn conversation(
    c: &Connection,
    a: EmployeeId,
    b: EmployeeId,
    offset: i64,
    limit: i64,
) -> Result<Vec<SectionRow>> {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let mut stmt = c.prepare_cached(
        "SELECT m.id, m.sent_at, m.body, w.login FROM chats ch \
         JOIN messages m ON m.chat_id = ch.id JOIN employees w ON w.id = m.author_id \
         WHERE ch.kind = 'private' AND ch.member_a = ?1 AND ch.member_b = ?2 \
         ORDER BY m.sent_at DESC, m.id DESC LIMIT ?3 OFFSET ?4",
    )?;
    let rows = stmt.query_map(params![lo, hi, limit, offset], |r| {
        Ok(SectionRow {
            id: r.get(0)?,
            when: opt_moment(r, 1)?,
            title: r.get(2)?,
            detail: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn conversation_len(c: &Connection, a: EmployeeId, b: EmployeeId) -> Result<i64> {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM chats ch JOIN messages m ON m.chat_id = ch.id \
         WHERE ch.kind = 'private' AND ch.member_a = ?1 AND ch.member_b = ?2",
    )?
    .query_row(params![lo, hi], |r| r.get(0))?)
}

/// A file's size as people read it: bytes, KB, MB or GB (1024s), one decimal.
pub fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// A page of one profile section, newest first. Each source is read newest first and
/// only as far as the page needs, so a person with 200,000 tasks costs no more than one
/// with twenty.
pub fn section(
    c: &Connection,
    who: EmployeeId,
    which: Section,
    offset: i64,
    limit: i64,
) -> Result<Vec<SectionRow>> {
    let sql = match which {
        Section::Tasks => {
            "SELECT t.id, t.created_at, t.title, replace(t.status, '_', ' ') || ' · responsible ' || r.login FROM tasks t \
             JOIN employees r ON r.id = t.responsible_id \
             WHERE t.id IN (SELECT id FROM (SELECT id FROM tasks WHERE responsible_id = ?1 AND status = 'open' \
                                           ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE responsible_id = ?1 AND status = 'in_progress' \
                                                  ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE responsible_id = ?1 AND status = 'done' \
                                                  ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE creator_id = ?1 ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT task_id FROM (SELECT task_id FROM task_participants WHERE employee_id = ?1 \
                                                       ORDER BY task_id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM tasks WHERE former_responsible_id = ?1 \
                                                  ORDER BY id DESC LIMIT ?4)) \
             ORDER BY t.id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Drive => {
            // Newest first like every section, by when the file was made (migration 9's
            // indexes read each side in that order only as deep as the page).
            "SELECT f.id, f.created_at, f.name, f.folder || ' · ' || o.login, f.size \
             FROM files f JOIN employees o ON o.id = f.owner_id \
             WHERE f.id IN (SELECT id FROM (SELECT id FROM files WHERE owner_id = ?1 \
                                           ORDER BY created_at DESC, id DESC LIMIT ?4) \
                            UNION SELECT id FROM (SELECT id FROM files WHERE created_by = ?1 \
                                                  ORDER BY created_at DESC, id DESC LIMIT ?4)) \
             ORDER BY f.created_at DESC, f.id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Crm => {
            "SELECT id, created_at, title, kind || ' · ' || lower(stage) FROM crm_items \
             WHERE assigned_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Mailboxes => {
            "SELECT id, NULL, address, '' FROM mailboxes WHERE owner_id = ?1 \
             ORDER BY address LIMIT ?2 OFFSET ?3"
        }
        Section::Meetings => {
            "SELECT m.id, m.starts_at, m.title, 'organized by ' || o.login FROM meetings m \
             JOIN employees o ON o.id = m.organizer_id \
             WHERE m.id IN (SELECT id FROM (SELECT id FROM meetings WHERE organizer_id = ?1 ORDER BY id DESC LIMIT ?4) \
                            UNION SELECT meeting_id FROM (SELECT meeting_id FROM meeting_attendees WHERE employee_id = ?1 \
                                                          ORDER BY meeting_id DESC LIMIT ?4)) \
             ORDER BY m.id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Feed => {
            "SELECT id, posted_at, body, '' FROM feed_posts WHERE author_id = ?1 \
             ORDER BY posted_at DESC, id DESC LIMIT ?2 OFFSET ?3"
        }
        Section::Groups => {
            "SELECT g.id, NULL, g.name, g.description FROM group_members gm JOIN groups g ON g.id = gm.group_id \
             WHERE gm.employee_id = ?1 ORDER BY g.name LIMIT ?2 OFFSET ?3"
        }
    };
    let mut stmt = c.prepare_cached(sql)?;
    let depth = offset.saturating_add(limit);
    let map = |r: &Row<'_>| {
        let mut detail: String = r.get(3)?;
        if which == Section::Drive {
            // "Contracts · 3.0 MB · owner lbrandt" (folder and owner come joined).
            let size: i64 = r.get(4)?;
            if let Some((folder, owner)) = detail.split_once(" · ") {
                detail = format!("{folder} · {} · owner {owner}", human_size(size));
            }
        }
        Ok(SectionRow {
            id: r.get(0)?,
            when: opt_moment(r, 1)?,
            title: r.get(2)?,
            detail,
        })
    };
    let rows = if sql.contains("?4") {
        stmt.query_map(params![who, limit, offset, depth], map)?
            .collect::<rusqlite::Result<_>>()?
    } else {
        stmt.query_map(params![who, limit, offset], map)?
            .collect::<rusqlite::Result<_>>()?
    };
    Ok(rows)
}
