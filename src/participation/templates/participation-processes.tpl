{{%AUTOESCAPE context="HTML"}}<h1>{{t_participation__title}}</h1>
<p class="lead">{{t_participation__intro}}</p>
{{#NO_PROCESSES}}<p>{{t_participation__no_processes}}</p>
{{/NO_PROCESSES}}<ul class="cards">
{{#PROCESS}}<li class="card"><h2><a href="{{HREF}}">{{TITLE}}</a></h2>
<p>{{t_participation__current_phase}} {{PHASE}}</p>
<p class="user-text" dir="auto">{{SUMMARY}}</p></li>
{{/PROCESS}}</ul>
<p><a href="{{ORGS_HREF}}">{{t_participation__org__link}}</a></p>
