// Pages of the public postal service: the shipments list on a dossier (applicant and office), the
// postal officer's list of their post office's shipments with a form to record each, and the unit
// administrator's list of procedures not offered by post. No JavaScript needed.
import { csrfInput, errorSummary, formatVnd, select, successBanner } from '../../web/components.ts';
import type { PageContext } from '../../web/context.ts';
import { html, type Html } from '../../web/html.ts';
import { format, messages, vietnamTime, type Lang } from '../../i18n/index.ts';
import { page } from '../../web/layout.ts';
import { shipmentTransitions } from '../../domain/postal.ts';
import type { ShipmentView } from './postal.service.ts';
import type { PostalNetwork } from './postal.network.ts';

/** A dossier's shipments as a section of its page (nothing when it has none). */
export function shipmentsSection(lang: Lang, items: readonly ShipmentView[], opts: { desk?: boolean } = {}): Html | '' {
  if (!items.length) return '';
  const m = messages(lang).postal;
  return html`<section aria-labelledby="shipments-title">
<h2 id="shipments-title">${m.shipmentsTitle}</h2>
${opts.desk && items.some((s) => s.trouble && s.direction === 'outbound') ? html`<div class="notice notice-warning" role="alert"><strong>${m.trouble}</strong></div>` : ''}
${opts.desk && items.some((s) => s.returnPending) ? html`<div class="notice notice-warning" role="alert"><strong>${m.deliveredNotReturned}</strong></div>` : ''}
${items.map((s) => html`<dl class="summary-list">
  <div class="summary-row"><dt>${m.direction}</dt><dd>${m.directions[s.direction]}</dd></div>
  <div class="summary-row"><dt>${m.status}</dt><dd><strong>${m.statuses[s.status]}</strong></dd></div>
  <div class="summary-row"><dt>${m.trackingNumber}</dt><dd>${s.trackingNumber ?? '—'}</dd></div>
  <div class="summary-row"><dt>${m.fee}</dt><dd>${formatVnd(lang, s.feeVnd)}${s.feeConfirmed ? '' : html` <span class="hint">${m.feeUnconfirmed}</span>`}</dd></div>
  ${s.address ? html`<div class="summary-row"><dt>${m.address}</dt><dd>${s.address.line}, ${s.address.areaName}</dd></div>` : ''}
  ${s.events.length ? html`<div class="summary-row"><dt>${m.history}</dt><dd><ol class="list">${s.events.map((e) => html`<li>${vietnamTime(e.at, lang)}: ${m.statuses[e.status]}</li>`)}</ol></dd></div>` : ''}
</dl>`)}
</section>`;
}

type Listed = ShipmentView & { dossierCode: string | null };

export function staffPage(ctx: PageContext, offices: Array<{ name: string }>, items: readonly Listed[], opts: { done?: boolean; failed?: { id: string; errors: Record<string, string>; values: Record<string, string> } } = {}): Html {
  const m = messages(ctx.lang).postal;
  const errs = opts.failed ? Object.entries(opts.failed.errors).map(([k, text]) => ({ href: `#${k}-${opts.failed!.id}`, text })) : [];
  return page({
    ctx,
    title: m.staffTitle,
    hasErrors: errs.length > 0,
    body: html`${opts.done ? successBanner(m.recorded) : ''}${errorSummary(ctx.lang, errs)}
<h1>${m.staffTitle}</h1>
<p class="lead">${m.staffLead}</p>
<p>${m.offices}: <strong>${offices.map((o) => o.name).join(', ')}</strong></p>
<p><a class="button button-secondary" href="/can-bo/tiep-nhan">${m.intakeLink}</a></p>
${items.length ? '' : html`<p>${messages(ctx.lang).postal.noShipments}</p>`}
${items.map((s) => {
  const failed = opts.failed?.id === s.id ? opts.failed : undefined;
  const next = shipmentTransitions[s.status];
  return html`<section class="document" aria-labelledby="s-${s.id}">
  <h2 class="document-title" id="s-${s.id}">${m.dossier} ${s.dossierCode ?? ''} · ${m.directions[s.direction]}</h2>
  <p>${m.status}: <strong>${m.statuses[s.status]}</strong> · ${m.trackingNumber}: ${s.trackingNumber ?? '—'} · ${m.fee}: ${formatVnd(ctx.lang, s.feeVnd)}</p>
  <form action="/can-bo/buu-chinh/${s.id}" method="post" novalidate>
    ${csrfInput(ctx.csrf)}
    <div class="form-group${failed?.errors.trackingNumber ? ' form-group-error' : ''}">
      <label class="label" for="trackingNumber-${s.id}">${m.trackingNumber}</label>
      ${failed?.errors.trackingNumber ? html`<p class="error-message" id="trackingNumber-${s.id}-error">${failed.errors.trackingNumber}</p>` : ''}
      <input class="input" id="trackingNumber-${s.id}" name="trackingNumber" type="text" value="${failed?.values.trackingNumber ?? s.trackingNumber ?? ''}" spellcheck="false">
    </div>
    ${next.length ? html`<div class="form-group">
      <label class="label" for="status-${s.id}">${m.newStatus}</label>
      ${select({ id: `status-${s.id}`, name: 'status', blank: m.keepStatus, value: failed?.values.status ?? '', options: next.map((k) => ({ value: k, text: m.statuses[k] })) })}
    </div>` : ''}
    <button class="button" type="submit">${m.record}</button>
  </form>
</section>`;
})}`,
  });
}

export function exclusionsPage(ctx: PageContext, units: Array<{ value: string; text: string }>, unitId: string, procedures: Array<{ id: string; name: string }>, excluded: readonly string[], opts: { saved?: boolean; error?: string } = {}): Html {
  const m = messages(ctx.lang).postal;
  return page({
    ctx,
    title: m.exclusionsTitle,
    hasErrors: !!opts.error,
    body: html`${opts.saved ? successBanner(m.saved) : ''}${opts.error ? errorSummary(ctx.lang, [{ href: '#procedureIds', text: opts.error }]) : ''}
<h1>${m.exclusionsTitle}</h1>
<p class="lead">${m.exclusionsLead}</p>
<form action="/can-bo/buu-chinh/loai-tru" method="get">
  <div class="form-group"><label class="label" for="unitId">${m.unit}</label>
  ${select({ id: 'unitId', value: unitId, options: units })}</div>
  <button class="button button-secondary" type="submit">${m.chooseUnit}</button>
</form>
${unitId ? html`<form action="/can-bo/buu-chinh/loai-tru?unitId=${unitId}" method="post" novalidate>
  ${csrfInput(ctx.csrf)}
  <fieldset class="fieldset" id="procedureIds"><legend class="legend">${format(m.exclusionsTitle, {})}</legend>
  ${procedures.length ? procedures.map((p, i) => html`<div class="checkboxes-item"><input class="checkboxes-input" type="checkbox" id="p-${i}" name="procedureIds" value="${p.id}"${excluded.includes(p.id) ? html` checked` : ''}>
    <label class="label checkboxes-label" for="p-${i}">${p.name}</label></div>`) : html`<p>${m.noProcedures}</p>`}
  </fieldset>
  <button class="button" type="submit">${m.save}</button>
</form>` : ''}`,
  });
}



/**
 * The postal delivery address as form fields, without JavaScript: a province list (the current two
 * tiers) with a button that shows its communes, the commune list of the chosen province (the desk's
 * by default), the street line, and the fee from the tariff. Posted as `delivery.address.*`.
 */
export function postalAddressFields(lang: Lang, network: PostalNetwork, deskUnitId: string, values: Record<string, unknown>, errors: Record<string, string>): Html {
  const m = messages(lang).postal;
  const f = messages(lang).formFields;
  const v = (k: string) => (typeof values[`delivery.address.${k}`] === 'string' ? (values[`delivery.address.${k}`] as string) : '');
  const areaCode = v('areaCode');
  const deskProvince = network.provinceOf(deskUnitId) ?? '';
  const province = v('province') || network.areas.communes.get(areaCode)?.province || deskProvince;
  const name = (x: { name: string; nameEn: string }) => (lang === 'en' ? x.nameEn : x.name);
  const intra = network.fee('outbound', deskUnitId, deskProvince).feeVnd;
  const inter = network.fee('outbound', deskUnitId, null).feeVnd;
  const err = (k: string) => errors[`delivery.address.${k}`];
  return html`<fieldset class="fieldset" id="delivery.address">
  <legend class="legend">${messages(lang).filing.deliveryAddress}</legend>
  <p class="hint" id="delivery-fee">${format(m.feeShown, { intra: formatVnd(lang, intra), inter: formatVnd(lang, inter) })}${network.tariff.confirmed ? '' : html` ${m.feeUnconfirmed}`}</p>
  <div class="form-group"><label class="label" for="delivery.address.province">${m.province}</label>
    ${select({ id: 'delivery.address.province', value: province, options: network.areas.provinces.map((p) => ({ value: p.code, text: name(p) })) })}
    <button class="button button-secondary" type="submit" name="show" value="communes">${m.showCommunes}</button></div>
  <div class="form-group${err('areaCode') ? ' form-group-error' : ''}"><label class="label" for="delivery.address.areaCode">${f.addressArea}</label>
    ${err('areaCode') ? html`<p class="error-message" id="delivery.address.areaCode-error">${err('areaCode')}</p>` : ''}
    ${select({ id: 'delivery.address.areaCode', value: areaCode, blank: f.chooseArea, error: err('areaCode'), describedBy: [err('areaCode') && 'delivery.address.areaCode-error'], options: network.communesOf(province).map((c) => ({ value: c.code, text: name(c) })) })}</div>
  <div class="form-group${err('line') ? ' form-group-error' : ''}"><label class="label" for="delivery.address.line">${f.addressLine}</label>
    ${err('line') ? html`<p class="error-message" id="delivery.address.line-error">${err('line')}</p>` : ''}
    <input class="input${err('line') ? ' input-error' : ''}" id="delivery.address.line" name="delivery.address.line" type="text" autocomplete="street-address" value="${v('line')}"></div>
</fieldset>`;
}

/** The posted `delivery.address.*` fields as the address a dossier keeps (nothing when none was typed). */
export function postedAddress(posted: Record<string, unknown>): { line: string; areaCode: string } | undefined {
  const s = (k: string) => (typeof posted[`delivery.address.${k}`] === 'string' ? (posted[`delivery.address.${k}`] as string).trim() : '');
  return s('line') || s('areaCode') ? { line: s('line'), areaCode: s('areaCode') } : undefined;
}

/** A kept address as the fields' values. */
export function addressValues(address: unknown): Record<string, string> {
  const a = (address && typeof address === 'object' ? address : {}) as { line?: unknown; areaCode?: unknown };
  return { 'delivery.address.line': typeof a.line === 'string' ? a.line : '', 'delivery.address.areaCode': typeof a.areaCode === 'string' ? a.areaCode : '' };
}
