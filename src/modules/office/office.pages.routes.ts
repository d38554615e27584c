// The back office's pages: the queue, counter intake, a dossier and its actions, through the same
// services as the office API. Strangers are sent to sign in; citizens and outreach get 403; a
// dossier outside the caller's scope is not found (404), so its existence is never revealed.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isAction, officeFormActions, statuses, type Action } from '../../domain/dossier-status.ts';
import { findAnswer } from '../../domain/form-answers.ts';
import { staffRoles, unitsCovered } from '../../domain/roles.ts';
import { vietnamDay } from '../../domain/time.ts';
import { requireUser } from '../../http/auth.ts';
import { checkCsrf, csrfField, pageContext } from '../../http/csrf.ts';
import { invalid, fail } from '../../errors.ts';
import { attempt, formText, formTexts, signInFirst } from '../../http/page-kit.ts';
import { readUpload } from '../../http/multipart.ts';
import { sendPage } from '../../http/reply.ts';
import type { Services } from '../../services.ts';
import { format, localName, messages, type Lang } from '../../i18n/index.ts';
import type { SessionUser } from '../accounts/accounts.service.ts';
import { stateOf } from '../dossiers/dossiers.service.ts';
import { isQueueTab, queueTabs } from '../../domain/queue.ts';
import { dossierPage, intakeChoosePage, intakeDonePage, intakeFormPage, queuePage, type FailedAction, type OfferedAction } from './office.pages.ts';
import { formsFor } from './office.forms.ts';
import { supplementDeadline } from './office.service.ts';
import { resultFormFields } from './office.results.pages.ts';
import { postalAddressFields, postedAddress, shipmentsSection } from '../postal/postal.pages.ts';

const perPage = 20;

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export function officePageRoutes(services: Services): FastifyPluginAsync {
  const { office, workflow, dossiers, views, attachments, catalog, units, clock, results } = services;

  const unitName = (lang: Lang, id: string) => {
    const u = catalog.unit(id);
    return u ? localName(lang, u) : id;
  };
  const procedureName = (lang: Lang, id: string) => {
    const p = catalog.find(id);
    return p ? localName(lang, p) : id;
  };
  const collators: Record<Lang, Intl.Collator> = { vi: new Intl.Collator('vi'), en: new Intl.Collator('en') };

  /** The procedures handled at any of these units, by name. */
  function proceduresAt(lang: Lang, unitIds: readonly string[]) {
    const at = new Set(unitIds);
    return catalog.search({ limit: 100_000, offset: 0 }).items
      .filter((p) => p.unitIds.some((u) => at.has(u)))
      .map((p) => ({ value: p.id, text: localName(lang, p) }))
      .sort((a, b) => collators[lang].compare(a.text, b.text));
  }

  /** Names of the staff over these units, for "handled by". */
  async function staffNames(unitIds: readonly string[]): Promise<Map<string, string>> {
    const lists = await Promise.all([...new Set(unitIds)].map((u) => office.staffFor(u, staffRoles)));
    return new Map(lists.flat().map((s) => [s.id, s.name]));
  }

  /** Units where the user may take in dossiers: at the desk (reception), or from the post (postal). */
  const intakeUnits = (user: SessionUser) => unitsCovered(user.roles.filter((r) => r.role === 'reception' || r.role === 'postal'), catalog.allUnits());

  /** The area code of the unit's province: the address pickers offer its communes. */
  function provinceOf(unitId: string): string {
    for (let u = catalog.unit(unitId); u; u = u.parentId ? catalog.unit(u.parentId) : undefined) if (u.kind === 'province') return u.code;
    return '';
  }

  return async (app) => {
    const hide = { schema: { hide: true } };

    app.get('/can-bo/ho-so', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const user = req.user;
      const scope = office.scope(user);
      const str = (k: string) => formText(req.query, k).slice(0, 200);
      const chosen = str('tab');
      const tab = isQueueTab(chosen) ? chosen : 'open';
      const status = Object.hasOwn(statuses, str('status')) ? str('status') : '';
      const unitId = scope.includes(str('unitId')) ? str('unitId') : '';
      const procedureId = catalog.find(str('procedureId')) ? str('procedureId') : '';
      const pageNo = Math.min(Math.max(Number.parseInt(str('trang'), 10) || 1, 1), 10_000);
      const result = await office.queue(user, {
        tab, status: status || undefined, unitId: unitId || undefined, procedureId: procedureId || undefined, limit: perPage, offset: (pageNo - 1) * perPage,
      });
      return sendPage(reply, queuePage(pageContext(req, reply), {
        filters: { tab, status, unitId, procedureId }, pageNo, perPage, result, tabs: queueTabs,
        units: scope.map((id) => ({ value: id, text: unitName(req.lang, id) })),
        procedures: proceduresAt(req.lang, scope),
        procedureName: (id) => procedureName(req.lang, id),
        staffNames: await staffNames(result.items.map((i) => i.unitId)),
        canIntake: intakeUnits(user).length > 0,
      }));
    });

    // Counter intake: choose the procedure, then fill its form; the dossier is accepted at once.
    async function intakeForm(req: FastifyRequest, reply: FastifyReply, procedureId: string, state: { values: Record<string, unknown>; errors: Record<string, string> }, status = 200) {
      const mine = intakeUnits(req.user!);
      const p = catalog.find(procedureId);
      // Any procedure, for any of its units: the desk receives across boundaries (Decree 118/2025); its own units first.
      const at = p ? [...p.unitIds.filter((u) => mine.includes(u)), ...p.unitIds.filter((u) => !mine.includes(u))] : [];
      if (!p || !at.length) {
        const text = format(messages(req.lang).fieldErrors[procedureId ? 'unknownProcedure' : 'required'], {});
        return sendPage(reply, intakeChoosePage(pageContext(req, reply), proceduresAt(req.lang, catalog.allUnits().map((u) => u.id)), text), 400);
      }
      const [detail, form, areas] = await Promise.all([catalog.get(p.id), catalog.formDefinition(p.id), units.currentCommunes(provinceOf(at[0]!))]);
      const unitOptions = at.map((id) => ({ value: id, text: unitName(req.lang, id), own: mine.includes(id) }));
      const postalAddress = postalAddressFields(req.lang, services.postal.network, mine[0] ?? at[0]!, state.values, state.errors);
      return sendPage(reply, intakeFormPage(pageContext(req, reply), detail, form, unitOptions, areas, vietnamDay(clock.now()), state, postalAddress), status);
    }

    app.get('/can-bo/tiep-nhan', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const mine = intakeUnits(req.user);
      if (!mine.length) fail('forbidden');
      const chosen = (req.query as Record<string, unknown>)['thu-tuc'];
      if (typeof chosen === 'string') return intakeForm(req, reply, chosen.slice(0, 200), { values: {}, errors: {} });
      return sendPage(reply, intakeChoosePage(pageContext(req, reply), proceduresAt(req.lang, catalog.allUnits().map((u) => u.id))));
    });

    app.post('/can-bo/tiep-nhan', hide, async (req, reply) => {
      checkCsrf(req);
      const user = requireUser(req);
      office.readerGrants(user);
      const posted = { ...(req.body as Record<string, unknown>) };
      delete posted[csrfField];
      const str = (k: string) => formText(posted, k).trim();
      // "Show its communes" of the postal address: the form comes back with what was typed.
      if (posted.show === 'communes') return intakeForm(req, reply, str('procedureId'), { values: posted, errors: {} });
      const address = postedAddress(posted) ?? str('delivery.address');
      // The form's answers are read from the flat field keys the form-fields renderer posts.
      const r = await attempt(req, () => workflow.intake(user, {
        procedureId: str('procedureId'), unitId: str('unitId') || undefined, channel: str('channel'), form: posted,
        delivery: { method: str('delivery.method') || undefined, ...(address ? { address } : {}) },
      }, req.lang));
      if (r.ok) return reply.redirect(`/can-bo/tiep-nhan/${r.value.id}`, 303);
      const errors = Object.fromEntries(Object.entries(r.rejected.errors).map(([k, text]) => [k.replace(/^form\./, ''), text]));
      return intakeForm(req, reply, str('procedureId'), { values: posted, errors }, 400);
    });

    app.get<{ Params: { id: string } }>('/can-bo/tiep-nhan/:id', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      office.readerGrants(req.user);
      return sendPage(reply, intakeDonePage(pageContext(req, reply), await views.get(req.user, req.params.id)));
    });

    // A dossier: what it holds, and a form for each action its viewer may take now.
    async function showDossier(req: IdRequest, reply: FastifyReply, outcome: { done?: Action; failed?: FailedAction } = {}, status = 200) {
      const user = req.user!;
      office.readerGrants(user);
      const row = await dossiers.visible(user, req.params.id);
      const d = await views.get(user, row.id);
      await services.audit.recordStaffAccess(user, clock.now(), { kind: 'personal_data_read', subject: `dossier:${row.id}`, data: { read: 'dossier', page: true } });
      const [procedure, form, steps, names] = await Promise.all([
        catalog.get(d.procedureId), catalog.formDefinition(d.procedureId), workflow.steps(d.procedureId), staffNames([row.unit_id]),
      ]);
      const state = stateOf(row);
      const allowed = await office.actionsFor(user, row);
      const actions: OfferedAction[] = [];
      for (const action of allowed) {
        if (!officeFormActions.includes(action)) continue;
        if (action !== 'transfer' && action !== 'forward' && action !== 'assign') {
          actions.push({ action });
          continue;
        }
        // Who may take the dossier next: the holders of the step it goes to (or is at, to assign).
        const step = steps[action === 'transfer' ? 0 : action === 'forward' ? state.step + 1 : d.status === 'in_process' ? state.step : 0];
        if (!step) continue; // no such step in the template
        const staff = new Map((await office.staffFor(row.unit_id, [step.role])).map((s) => [s.id, s.name]));
        actions.push({
          action, role: messages(req.lang).account.role[step.role],
          staff: [...staff].map(([value, text]) => ({ value, text })).sort((a, b) => collators[req.lang].compare(a.text, b.text)),
        });
      }
      const answers = { ...d.form, applicant: d.applicant };
      const codes = form.sections.flatMap((s) => s.fields).filter((f) => f.type === 'address')
        .map((f) => (findAnswer(answers, f.key) as { areaCode?: string } | undefined)?.areaCode).filter((c): c is string => !!c);
      const areas = new Map(await Promise.all([...new Set(codes)].map(async (c) => {
        const a = await units.areaName(c);
        return [c, !a ? c : a.former ? format(messages(req.lang).receipt.formerly, { current: a.current, former: a.former }) : a.current] as const;
      })));
      const documents = [
        ...(d.code && d.acceptedAt ? (['01'] as const) : []),
        ...formsFor({ status: d.status, actions: d.history.map((h) => h.action), acceptedAt: d.acceptedAt, dueAt: d.dueAt }),
      ];
      return sendPage(reply, dossierPage(pageContext(req, reply), {
        d, procedure, form, documents, actions, ...outcome,
        supplement: supplementDeadline(row, clock.now()),
        unitName: unitName(req.lang, d.unitId),
        stepName: d.status === 'in_process' && steps[state.step] ? localName(req.lang, steps[state.step]!) : null,
        assigneeName: d.assigneeId ? (names.get(d.assigneeId) ?? null) : null,
        areaName: (c) => areas.get(c) ?? c,
        canAttachResult: allowed.includes('attach_result'),
        shipments: shipmentsSection(req.lang, await services.postal.forDossier(user, row.id), { desk: true }),
      }), status);
    }

    app.get<{ Params: { id: string } }>('/can-bo/ho-so/:id', hide, async (req, reply) => {
      if (!req.user) return signInFirst(req, reply);
      const done = (req.query as Record<string, unknown>).xong;
      return showDossier(req, reply, { done: isAction(done) ? done : undefined });
    });

    app.post<{ Params: { id: string } }>('/can-bo/ho-so/:id/thao-tac', hide, async (req, reply) => {
      checkCsrf(req);
      const user = requireUser(req);
      office.readerGrants(user);
      const values = formTexts(req.body, ['action', 'note', 'missing', 'toUserId', 'newDueAt', 'supplementDueAt', 'receivedBy']);
      const { action } = values;
      // A message about the whole action, not one field, shows above its form (key '').
      const r = await attempt(req, () => workflow.act(user, req.params.id, {
        action, note: values.note, missing: values.missing.split(/\r?\n/), toUserId: values.toUserId || undefined,
        newDueAt: values.newDueAt || undefined, supplementDueAt: values.supplementDueAt || undefined, receivedBy: values.receivedBy,
      }), { field: 'action' });
      if (r.ok) return reply.redirect(`/can-bo/ho-so/${req.params.id}?xong=${action}`, 303);
      const { error, errors, status } = r.rejected;
      if (!isAction(action)) throw error;
      const { action: _, ...shown } = values;
      return showDossier(req, reply, { failed: { action, values: shown, errors: error.fields ? errors : { '': errors.action! } } }, status);
    });

    // A result document (multipart, the form token before the file), coded {code}-KQ{n}.
    app.post<{ Params: { id: string } }>('/can-bo/ho-so/:id/ket-qua', hide, async (req, reply) => {
      const user = requireUser(req);
      office.readerGrants(user);
      let values: Record<string, string> = {};
      const r = await attempt(req, async () => {
        const { stored, fields } = await readUpload(req, {
          maxBytes: attachments.limits.maxFileBytes, csrf: true,
          receive: (file) => results.receive(user, req.params.id, file),
          discard: (s) => results.discard(s),
        });
        values = Object.fromEntries(resultFormFields.map((k) => [k, fields[k] ?? '']));
        if (!stored) throw invalid({ file: { key: 'chooseFile' } });
        await results.attach(user, req.params.id, stored, fields);
      }, { field: 'file' });
      if (r.ok) return reply.redirect(`/can-bo/ho-so/${req.params.id}?xong=attach_result`, 303);
      // Each message beside its field, with what was typed (a file is never kept: it is chosen again).
      const { errors, status } = r.rejected;
      return showDossier(req, reply, { failed: { action: 'attach_result', values, errors } }, status);
    });
  };
}
